"""Naming rules shared by the importer: snake_case, singular resource names, argument names."""
import re

from faults import SpecFault

# Path segments that name a job resource keep Klaviyo's own short placeholder name (job_id):
# most job endpoints already spell it {job_id}, and the long resource name adds nothing.
_JOB_SUFFIX = "_job"


def snake(text: str) -> str:
    """Lower snake_case of any name: 'Add Profile To List' -> add_profile_to_list,
    'push-tokens' -> push_tokens, 'page[size]' -> page_size."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def singular(word: str) -> str:
    """Singular of a plural resource name (English rules enough for Klaviyo's resources)."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses") or word.endswith("xes"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def resource_id_arg(segment: str) -> str:
    """Argument for an {id} that follows a resource segment: lists -> list_id,
    push-tokens -> push_token_id, profile-bulk-import-jobs -> job_id."""
    name = snake(singular(segment))
    if name == "job" or name.endswith(_JOB_SUFFIX):
        return "job_id"
    return name + "_id"


def path_args(path: str) -> dict[str, str]:
    """Placeholder -> argument for every placeholder of a path template."""
    result: dict[str, str] = {}
    parts = path.strip("/").split("/")
    for i, part in enumerate(parts):
        m = re.fullmatch(r"\{(\w+)\}", part)
        if not m:
            continue
        placeholder = m.group(1)
        if placeholder == "id":
            if i == 0:
                raise SpecFault(f"{path}: {{id}} has no resource segment before it")
            arg = resource_id_arg(parts[i - 1])
        else:
            arg = snake(placeholder)
        if arg in result.values():
            raise SpecFault(f"{path}: two placeholders map to argument {arg!r}")
        result[placeholder] = arg
    return result


def query_arg(param: str) -> str:
    """Argument for a query parameter: fields[push-token] -> fields_push_token,
    additional-fields[profile] -> additional_fields_profile, page[size] -> page_size."""
    return snake(param)


def relationship_arg(name: str, rel_type: str, many: bool) -> str:
    """One: list -> list_id; many: the singular type plus _ids (profiles of type profile ->
    profile_ids)."""
    if many:
        return snake(singular(rel_type)) + "_ids"
    return snake(name) + "_id"


def words(resource_type: str) -> str:
    """'push-token' -> 'push token', for generated descriptions."""
    return resource_type.replace("-", " ").replace("_", " ")
