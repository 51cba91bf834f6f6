"""tools/importer/curation.json: the hand-written part of every spec. Loaded strictly (an
unknown key is a typo, and a typo must not silently drop a correction)."""
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
}
GLOBAL_KEYS = {"tags", "destructive_words", "filter_samples", "arg_descriptions",
               "max_description_chars"}


def load(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
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
