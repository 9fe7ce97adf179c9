"""The fake cloud's generic core: tables, actions, references, lists and generic handlers.

Resource modules build on it and register with it; it never imports one. See README.md here
for how to add a resource module.
"""

from .engine import ActionEngine, ActionFailure, ActionRun, Hold, Ref
from .handlers import (
    action_list,
    action_routes,
    check_name,
    delete_handler,
    get_handler,
    protection_handler,
    update_handler,
)
from .http import (
    HOST,
    Host,
    json_response,
    optional,
    path_id,
    path_resource,
    project_of,
    read_body,
    ref_field,
    require,
    valid_labels,
)
from .listing import Filter, list_handler, list_response, select
from .project import Project
from .registry import Commit, Creation, Kind, Registry
from .table import Fields, Json, Table

__all__ = [
    "HOST",
    "ActionEngine",
    "ActionFailure",
    "ActionRun",
    "Commit",
    "Creation",
    "Fields",
    "Filter",
    "Hold",
    "Host",
    "Json",
    "Kind",
    "Project",
    "Ref",
    "Registry",
    "Table",
    "action_list",
    "action_routes",
    "check_name",
    "delete_handler",
    "get_handler",
    "json_response",
    "list_handler",
    "list_response",
    "optional",
    "path_id",
    "path_resource",
    "project_of",
    "protection_handler",
    "read_body",
    "ref_field",
    "require",
    "select",
    "update_handler",
    "valid_labels",
]
