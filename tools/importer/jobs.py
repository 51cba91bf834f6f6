"""The `job` field of a tool that starts an asynchronous Klaviyo job: which tool reads the job
back, which status values mean it is still running, its progress counters and the tool that
pages its failed items. The server uses it to wait for the job when a call asks to (`wait`)."""
from faults import SpecFault

JOB_KEYS = {"poll_tool", "errors_tool"}
# Counter role -> the job attribute that carries it, where the job resource has it.
COUNTERS = {"completed": "completed_count", "total": "total_count", "failed": "failed_count"}


def starts_a_job(op: dict) -> bool:
    """An asynchronous operation that answers with a job resource (202 with data)."""
    accepted = op.get("responses", {}).get("202", {})
    return bool(op.get("async")) and bool(accepted.get("dataType"))


def job_field(op: dict, curated: dict | None, job_status: dict | None, catalog_names: set[str]) -> dict | None:
    """`job_status` is global.job_status: {"attribute", "running": [statuses]}."""
    name = op["operationId"]
    if curated is None:
        if starts_a_job(op):
            raise SpecFault(f"{name}: starts a job ({op['responses']['202']['dataType']}); curate `job` "
                            "with the poll_tool that reads it back, so that callers can wait for it")
        return None
    unknown = set(curated) - JOB_KEYS
    if unknown:
        raise SpecFault(f"{name}: job has unknown keys {sorted(unknown)}")
    if not job_status:
        raise SpecFault(f"{name}: job needs global.job_status (the status attribute and its running values)")
    if "poll_tool" not in curated:
        raise SpecFault(f"{name}: job needs poll_tool, the tool that reads the job by its id")
    for key in ("poll_tool", "errors_tool"):
        if key in curated and curated[key] not in catalog_names:
            raise SpecFault(f"{name}: job.{key} names {curated[key]!r}, which is not an operation")

    # The job's attributes, as the start operation's sparse-fieldset parameter lists them.
    job_type = op.get("responses", {}).get("202", {}).get("dataType", "")
    fields = next((q.get("itemEnum", []) for q in op.get("queryParams", [])
                   if q["name"] == f"fields[{job_type}]"), [])
    if job_status["attribute"] not in fields:
        raise SpecFault(f"{name}: the job resource {job_type!r} has no {job_status['attribute']!r} attribute "
                        "to wait on")
    job = {"poll_tool": curated["poll_tool"],
           "status": {"attribute": job_status["attribute"], "running": sorted(job_status["running"])}}
    counters = {role: attribute for role, attribute in COUNTERS.items() if attribute in fields}
    if counters:
        job["counters"] = counters
    if "errors_tool" in curated:
        job["errors_tool"] = curated["errors_tool"]
    return job
