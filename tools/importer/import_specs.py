#!/usr/bin/env python3
"""Drafts tool specs (schemas/<toolset>/<operationId>.json) from Klaviyo's API catalog plus the
hand-written curation. A dev-time tool: the server never runs it. See README.md beside it.

  import_specs.py --klaviyo-dir DIR [--tags Profiles,Lists] [--out schemas]   write specs
  import_specs.py --klaviyo-dir DIR --check                                   exit 1 on drift
"""
import argparse
import difflib
import json
import os
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # a dev tool run from the source tree: leave no __pycache__ there

import curation  # noqa: E402 (after the bytecode switch)
from aliases import check_unique  # noqa: E402
from faults import SpecFault  # noqa: E402
from spec_builder import build_spec, toolset_of  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def render(spec: dict) -> str:
    """Stable text: sorted keys, two-space indent, so a regenerated file diffs cleanly."""
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate(klaviyo_dir: Path, tags: list[str], cur: dict, out: Path) -> dict[Path, str]:
    """Every spec of the requested tags, as relative path -> text. Fails on any fault."""
    operations = json.loads((klaviyo_dir / "operations.json").read_text(encoding="utf-8"))
    seeds = {s["operationId"]: s
             for s in json.loads((klaviyo_dir / "seed-actions.json").read_text(encoding="utf-8"))}
    catalog_names = {op["operationId"] for op in operations}
    unknown = sorted(set(cur["tools"]) - catalog_names)
    if unknown:
        raise SpecFault(f"curation names operations the catalog lacks: {unknown}")

    in_tags = [op for op in operations if op["tags"][0] in tags]
    missing_tags = sorted(set(tags) - {op["tags"][0] for op in in_tags})
    selected = [op for op in in_tags if "skip" not in cur["tools"].get(op["operationId"], {})]
    if missing_tags:
        raise SpecFault(f"no operations have the tags {missing_tags}")

    files: dict[Path, str] = {}
    claims: dict[str, list[str]] = {}
    for op in selected:
        name = op["operationId"]
        spec = build_spec(op, seeds.get(name), cur["global"], cur["tools"].get(name, {}), catalog_names)
        files[Path(spec["toolset"]) / f"{name}.json"] = render(spec)
        claims[name] = spec["aliases"]

    # Tools of other toolsets already under out/ load beside these: their names count too.
    regenerated = {toolset_of(t) for t in tags}
    for path in sorted(out.glob("*/*.json")) if out.is_dir() else []:
        if path.parent.name in regenerated:
            continue
        other = json.loads(path.read_text(encoding="utf-8"))
        claims[other["name"]] = other.get("aliases", [])
    check_unique(claims, catalog_names)
    return files


def write(files: dict[Path, str], out: Path, toolsets: set[str]) -> None:
    for toolset in toolsets:
        folder = out / toolset
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.json"):
            if stale.relative_to(out) not in files:
                stale.unlink()
                print(f"removed {stale.relative_to(out)}")
    for rel, text in sorted(files.items()):
        target = out / rel
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {rel}")


def drift(files: dict[Path, str], out: Path, toolsets: set[str]) -> list[str]:
    """Unified diffs between what the importer would write and what out/ holds."""
    with tempfile.TemporaryDirectory(prefix="kmcp-import-check-") as tmp:
        fresh = Path(tmp)
        for rel, text in files.items():
            (fresh / rel).parent.mkdir(parents=True, exist_ok=True)
            (fresh / rel).write_text(text, encoding="utf-8")
        current = {p.relative_to(out) for t in toolsets for p in (out / t).glob("*.json")}
        diffs = []
        for rel in sorted(current | set(files)):
            old = (out / rel).read_text(encoding="utf-8").splitlines(True) if rel in current else []
            new = (fresh / rel).read_text(encoding="utf-8").splitlines(True) if rel in files else []
            if old != new:
                diffs.append("".join(difflib.unified_diff(old, new, f"schemas/{rel}", f"generated/{rel}")))
        return diffs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--klaviyo-dir", default=os.environ.get("KMCP_KLAVIYO_DIR"),
                        help="folder with operations.json and seed-actions.json "
                             "(default: $KMCP_KLAVIYO_DIR)")
    parser.add_argument("--out", default=str(REPO / "schemas"), help="spec folder (default: schemas/)")
    parser.add_argument("--tags", help="comma-separated Klaviyo tags (default: the curation's)")
    parser.add_argument("--curation", default=str(HERE / "curation"),
                        help="curation folder (or a single file), default: tools/importer/curation/")
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temp dir and diff against --out; exit 1 on drift")
    args = parser.parse_args(argv)
    if not args.klaviyo_dir:
        parser.error("--klaviyo-dir is required (or set KMCP_KLAVIYO_DIR)")

    try:
        cur = curation.load(Path(args.curation))
        tags = [t.strip() for t in args.tags.split(",")] if args.tags else cur["global"]["tags"]
        out = Path(args.out)
        files = generate(Path(args.klaviyo_dir), tags, cur, out)
    except SpecFault as fault:
        print(f"import_specs: {fault}", file=sys.stderr)
        return 2
    toolsets = {toolset_of(t) for t in tags}
    if args.check:
        diffs = drift(files, out, toolsets)
        for diff in diffs:
            sys.stdout.write(diff)
        print(f"{len(diffs)} spec file(s) differ from a fresh import" if diffs
              else f"{len(files)} spec files match a fresh import")
        return 1 if diffs else 0
    write(files, out, toolsets)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
