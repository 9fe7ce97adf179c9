"""The ``/v1`` route handlers, one module per resource."""
