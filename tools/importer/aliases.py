"""Older names a tool answers to, and the check that no name is claimed twice."""
from faults import SpecFault
from naming import snake


def aliases_for(op: dict, seed: dict | None) -> list[str]:
    """Seed actions: the action in snake_case, its old operationId, the KLAVIYO_ upper-case
    form; then Klaviyo's own older operationIds. The tool's own name is never an alias."""
    candidates: list[str] = []
    if seed:
        action = snake(seed["action"])
        candidates += [action, seed.get("oldOperationId", ""), "KLAVIYO_" + action.upper()]
    candidates += op.get("aliases") or []
    result: list[str] = []
    for alias in candidates:
        if alias and alias != op["operationId"] and alias not in result:
            result.append(alias)
    return result


def check_unique(claims: dict[str, list[str]], catalog_names: set[str]) -> None:
    """`claims`: tool name -> its aliases, for every tool the server will load. Fails when a
    name or alias (case-insensitively) belongs to two tools, or an alias is the name of any
    operation in the catalog, generated now or later."""
    owner: dict[str, str] = {}
    operations = {name.lower() for name in catalog_names}
    faults = []
    for tool, aliases in sorted(claims.items()):
        for name in [tool, *aliases]:
            key = name.lower()
            if key in owner and owner[key] != tool:
                faults.append(f"{name!r} is claimed by both {owner[key]} and {tool}")
            owner[key] = tool
        for alias in aliases:
            if alias.lower() in operations:
                faults.append(f"alias {alias!r} of {tool} is the name of an operation")
    if faults:
        raise SpecFault("name clash: " + "; ".join(faults))
