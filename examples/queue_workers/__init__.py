"""Provisioning workers on an arq job queue (Redis), sharing one Hetzner rate-limit budget.

``worker.py`` holds the arq ``WorkerSettings`` and the two jobs, ``enqueue.py`` puts jobs on the
queue. Run them from the ``examples`` directory (see ``README.md``).
"""
