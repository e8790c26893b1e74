import enum


class PolicyEvent(enum.StrEnum):
    CATALOG_LOADED = "policy.catalog.loaded"
