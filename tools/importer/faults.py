"""The one exception the importer raises for a fault in the catalog or the curation."""


class SpecFault(Exception):
    """The importer stops and names the operation and the fault; nothing is written."""
