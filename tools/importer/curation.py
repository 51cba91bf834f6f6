"""tools/importer/curation/: the hand-written part of every spec. global.json holds what all
toolsets share; every other file holds one toolset ({"tags": [...], "tools": {...}}), so people
curating different toolsets never edit the same file. Loaded strictly (an unknown key is a
typo, and a typo must not silently drop a correction)."""
import json
from pathlib import Path

from faults import SpecFault
from request_mapping import Arg, RequestDraft

TOOL_KEYS = {
    "description",        # required: our words (what, key limits); facts are appended
    "args",               # renames: generated name (or "role.key") -> new name
    "arg_descriptions",   # argument (new name) -> short description
    "schema",             # argument -> extra JSON Schema keywords merged into its schema
    "annotations",        # hint -> bool, overriding the method/name rules
    "preconditions",      # extra hook entries; one with the same hook and arg replaces a rule's
    "omit_body",          # body parts the spec format cannot carry yet -> why leaving them is safe
    "filter_example",     # replaces the generated filter example
    "id_arg",             # data.id gets its own argument (this name) instead of the path id
    "item_relationships", # resource_list attribute -> {relationship: related type} carried per item
    "job",                # starts a job: {"poll_tool", "errors_tool"?} so callers can wait for it
    "skip",               # leave the operation out for now: why (e.g. the format cannot carry it)
    "core",               # true: in the default "core" toolset (at most global.max_core_tools)
    "customer_content",   # true: results carry customer-written text (--hide-customer-content)
}
FLAG_KEYS = ("core", "customer_content")
GLOBAL_KEYS = {"tags", "destructive_words", "filter_samples", "arg_descriptions",
               "max_description_chars", "max_core_tools", "job_status"}


TOOLSET_KEYS = {"tags", "tools", "arg_descriptions"}


def load(path: Path) -> dict:
    """A curation folder, or one file holding {"global", "tools"}."""
    if path.is_dir():
        return _load_folder(path)
    return _check(json.loads(path.read_text(encoding="utf-8")), path)


def _load_folder(folder: Path) -> dict:
    data = {"global": json.loads((folder / "global.json").read_text(encoding="utf-8")), "tools": {}}
    data["global"].setdefault("tags", [])
    data["global"].setdefault("arg_descriptions", {})
    for part in sorted(folder.glob("*.json")):
        if part.name == "global.json":
            continue
        piece = json.loads(part.read_text(encoding="utf-8"))
        unknown = set(piece) - TOOLSET_KEYS
        if unknown:
            raise SpecFault(f"{part}: unknown top-level keys {sorted(unknown)}")
        data["global"]["tags"] += piece.get("tags", [])
        for arg, text in piece.get("arg_descriptions", {}).items():
            known = data["global"]["arg_descriptions"].setdefault(arg, text)
            if known != text:
                raise SpecFault(f"{part}: arg_descriptions[{arg!r}] differs from another file's")
        for tool, entry in piece.get("tools", {}).items():
            if tool in data["tools"]:
                raise SpecFault(f"{part}: {tool} is curated in two files")
            data["tools"][tool] = entry
    return _check(data, folder)


def _check(data: dict, path: Path) -> dict:
    unknown = set(data) - {"global", "tools"}
    if unknown:
        raise SpecFault(f"{path}: unknown top-level keys {sorted(unknown)}")
    unknown = set(data["global"]) - GLOBAL_KEYS
    if unknown:
        raise SpecFault(f"{path}: unknown global keys {sorted(unknown)}")
    for tool, entry in data["tools"].items():
        unknown = set(entry) - TOOL_KEYS
        if unknown:
            raise SpecFault(f"{path}: {tool}: unknown keys {sorted(unknown)}")
        for flag in FLAG_KEYS:
            if flag in entry and entry[flag] is not True:
                raise SpecFault(f"{path}: {tool}: {flag} must be true (leave it out otherwise)")
    # Every client lists the core set by default; clients cap or choke on long tool lists.
    core = sorted(tool for tool, entry in data["tools"].items() if entry.get("core"))
    limit = data["global"].get("max_core_tools", 40)
    if len(core) > limit:
        raise SpecFault(f"{path}: {len(core)} tools are core (limit {limit}): {core}")
    return data


def rename(draft: RequestDraft, renames: dict[str, str], where: str) -> None:
    used = set()
    for arg in draft.args:
        for key in (arg.qualified, arg.name):
            if key in renames:
                arg.name = renames[key]
                used.add(key)
                break
    unused = set(renames) - used
    if unused:
        raise SpecFault(f"{where}: curation renames unknown arguments {sorted(unused)}")
    seen: dict[str, Arg] = {}
    for arg in draft.args:
        if arg.name in seen:
            raise SpecFault(f"{where}: argument {arg.name!r} is both {seen[arg.name].qualified} and "
                            f"{arg.qualified}; rename one in the curation")
        seen[arg.name] = arg


def check_omissions(draft: RequestDraft, omit: dict[str, str], where: str) -> None:
    missing = [d for d in draft.dropped if d not in omit]
    if missing:
        raise SpecFault(f"{where}: the spec format cannot carry {missing}; curate omit_body")
    stale = [d for d in omit if d not in draft.dropped]
    if stale:
        raise SpecFault(f"{where}: omit_body names parts the body does not have: {stale}")
