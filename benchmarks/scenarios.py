"""The benchmark scenarios: fixed parameters, so that anyone can rerun them.

Everything the issue does not fix takes the fake's default (no latency, actions of 1 s, a bucket
of 3600 refilled at 1/s). Every action of the fake lasts ``action_duration``, including the
``start_server`` action that follows each create, so a server runs ``2 * action_duration`` after
its create is accepted. Both clients wait for the create action *and* its next actions before
they touch the server again (deleting a server while ``start_server`` runs is ``locked``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

__all__ = ["NAMES", "SCENARIOS", "Scenario", "get"]

PUBLIC_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGbYJ3Lm1m5k6ZTnJ3y0mS2fWJcKuU8bbTgW4mSgA0hX bench@example"
)
SERVER_TYPE = "cx22"
IMAGE = "debian-12"
LOCATION = "fsn1"


@dataclass(frozen=True)
class Scenario:
    """One scenario: what the fake is like, what the clients do, and its floor."""

    name: str
    description: str
    #: Servers created (or, for list-10k, stored in the fake; for overhead, GETs sent).
    servers: int
    #: Seconds of latency the fake adds to every request.
    latency: float = 0.0
    #: Seconds every action runs, and per-command exceptions (``{"start_server": 0.5}``).
    action_duration: float = 1.0
    action_durations: dict[str, float] = field(default_factory=dict)
    #: Bucket size (``None``: no rate limit) and refill per second.
    rate_limit: int | None = 3600
    refill: float = 1.0
    #: Servers stored in the fake before the clients run (list-10k, overhead).
    seed_servers: int = 0
    #: Thread-pool size of the ``hcloud`` client.
    hcloud_threads: int = 50
    #: Closed-loop workers of ``hetzner_async`` (each takes the next server when done with
    #: one); None: every server at once.
    tasks: int | None = None
    #: Seconds after which a client stops and reports what it finished so far.
    time_cap: float = 150.0
    #: A shorter cap for hcloud where it cannot keep up, so that the whole run stays short.
    hcloud_time_cap: float | None = None
    #: Whether bare aiohttp (request + JSON decode) runs this scenario as the floor.
    floor_client: bool = False
    #: Rounds of every client, interleaved; the round with the median CPU per request is kept
    #: (CPU per request of a client that gathers 5,000 requests depends on how busy the fake is).
    repeats: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    def fake_args(self) -> dict[str, Any]:
        """Return the settings of the fake for this scenario."""
        return {
            "latency": self.latency,
            "action_duration": self.action_duration,
            "action_durations": dict(self.action_durations),
            "rate_limit": self.rate_limit,
            "refill": self.refill,
            "seed_servers": self.seed_servers,
        }

    def duration(self, command: str) -> float:
        """Return the seconds an action with this command runs on the fake."""
        return self.action_durations.get(command, self.action_duration)

    def to_json(self) -> dict[str, Any]:
        """Return the parameters as JSON."""
        return asdict(self)

    def floor(self) -> dict[str, Any]:
        """Return the wall time the API itself sets, and how it is computed (None: measured)."""
        n, lat, dur = self.servers, self.latency, self.action_duration
        if self.name == "fleet-200":
            # key+firewall (in parallel) -> create -> one poll seeing create+start done ->
            # delete -> one poll seeing it done: five round trips plus three actions.
            wall = 5 * lat + 3 * dur
            return {
                "wall": wall,
                "requests": 2 + n + math.ceil(n / 25) + n + math.ceil(n / 25),
                "how": f"3 actions of {dur:g} s (create, start, delete) "
                f"+ 5 round trips of {lat:g} s",
            }
        if self.name.startswith("fleet-delete"):
            # Waves of `tasks` servers, one after the other. Per server: the create's round trip
            # (its action starts when the API has it), create and start, the delete's round trip,
            # the delete. A poll can be sent early enough to be read the moment an action ends.
            assert self.tasks is not None
            waves = math.ceil(n / self.tasks)
            chain = self.duration("create_server") + self.duration("start_server")
            chain += self.duration("delete_server") + 2 * lat
            polls = 2 * math.ceil(self.tasks / 25)
            return {
                "wall": waves * chain,
                "requests": 2 * n + waves * polls,
                "how": f"{waves} waves x (create, start, delete: {chain - 2 * lat:g} s "
                f"+ 2 round trips of {lat:g} s)",
            }
        if self.name == "rate-limited":
            assert self.rate_limit is not None
            # Every create costs one request, plus one batched poll per 25 servers; the bucket
            # covers the first `limit` of them, the refill the rest; the last server then runs
            # after create + start.
            needed = n + math.ceil(n / 25)
            wall = max(0, needed - self.rate_limit) / self.refill + 2 * dur + 2 * lat
            return {
                "wall": wall,
                "requests": needed,
                "how": f"({needed} requests - {self.rate_limit} in the bucket) / "
                f"{self.refill:g}/s + create and start ({2 * dur:g} s)",
            }
        if self.name == "scale-5k":
            wall = 2 * dur + 3 * lat
            return {
                "wall": wall,
                "requests": n + math.ceil(n / 25) + n,
                "how": "create + start actions; the fake's own speed is not counted",
            }
        # list-10k and overhead: bare aiohttp on the same fake is the floor (measured).
        return {"wall": None, "requests": None, "how": "bare aiohttp, measured"}


def _scenarios() -> dict[str, Scenario]:
    items = [
        Scenario(
            name="fleet-200",
            description="create 200 servers (ssh key + firewall), wait, delete, wait",
            servers=200,
            latency=0.025,
            action_duration=3.0,
            rate_limit=3600,
            refill=1.0,
            hcloud_threads=50,
        ),
        *(
            Scenario(
                name=f"fleet-delete-{tasks}",
                description=f"100 servers created, started, deleted and waited for, {tasks} at "
                "a time (closed loop)",
                servers=100,
                latency=0.025,
                action_duration=2.0,
                action_durations={"start_server": 0.5},
                rate_limit=3600,
                refill=1.0,
                tasks=tasks,
                hcloud_threads=25,
            )
            for tasks in (25, 100)
        ),
        Scenario(
            name="rate-limited",
            description="create 500 servers and wait, bucket of 50 refilled at 20/s",
            servers=500,
            rate_limit=50,
            refill=20.0,
            hcloud_threads=50,
            hcloud_time_cap=60.0,
        ),
        Scenario(
            name="list-10k",
            description="list the 5,000 of 10,000 stored servers a label selector matches",
            servers=5000,
            seed_servers=10_000,
            floor_client=True,
            extra={"label_selector": "parity=even"},
        ),
        Scenario(
            name="scale-5k",
            description="5,000 concurrent create-and-waits, no rate limit",
            servers=5000,
            rate_limit=None,
            hcloud_threads=500,
            hcloud_time_cap=60.0,
        ),
        Scenario(
            name="overhead",
            description="5,000 GET /servers/{id}, no latency (bucket big enough to never run dry)",
            servers=5000,
            seed_servers=100,
            rate_limit=100_000,
            refill=1000.0,
            floor_client=True,
            repeats=3,
        ),
    ]
    return {s.name: s for s in items}


SCENARIOS = _scenarios()
NAMES = tuple(SCENARIOS)

#: The smoke size (``--quick``): every code path, tiny numbers, fast actions.
_QUICK: dict[str, dict[str, Any]] = {
    "fleet-200": {"servers": 4, "latency": 0.0, "action_duration": 0.05, "hcloud_threads": 4},
    "fleet-delete-25": {"servers": 4, "tasks": 2, "action_duration": 0.05, "hcloud_threads": 2},
    "fleet-delete-100": {"servers": 4, "tasks": 4, "action_duration": 0.05, "hcloud_threads": 2},
    "rate-limited": {
        "servers": 6,
        "action_duration": 0.05,
        "rate_limit": 3,
        "refill": 40.0,
        "hcloud_threads": 3,
    },
    "list-10k": {"servers": 30, "seed_servers": 60},
    "scale-5k": {"servers": 20, "action_duration": 0.05, "hcloud_threads": 10},
    "overhead": {"servers": 40, "seed_servers": 5},
}


def get(name: str, *, quick: bool = False) -> Scenario:
    """Return a scenario by name, at the smoke size with ``quick``."""
    scenario = SCENARIOS[name]
    if quick:
        scenario = replace(scenario, time_cap=30.0, hcloud_time_cap=None, repeats=1, **_QUICK[name])
    return scenario
