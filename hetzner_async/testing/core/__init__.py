"""The fake cloud's generic core: tables, actions, references, lists and generic handlers.

Resource modules (``hetzner_async/testing/resources``) build on it; it never imports one. A
module has one function, ``register(registry)``, and one line in ``resources.MODULES``:

- ``registry.kind(Kind(...))``: a table, an id counter, a list and ``_fake/state`` key;
- ``registry.routes([...])``: its handlers, and the generic ``list_handler``, ``get_handler``,
  ``update_handler``, ``delete_handler``, ``protection_handler`` and ``action_routes``;
- ``registry.part(cls)``: state of its own per project (``project.part(cls)``);
- ``registry.on_create("server", fields, hook)``: validate and apply fields of a server's
  create body; ``registry.before_delete`` / ``registry.on_delete``: refuse or clean up;
- ``registry.derive("server", fn)``, ``registry.on_change`` and ``registry.on_refresh``:
  derived fields, recomputed only for what changed.

README.md here explains the rules and walks through a complete example.
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
