"""When will an action end? Forecasts from its progress, its start, and what runs before it.

Every action reports ``progress`` (0-100). Read at a known moment after a known start, it says
when the action will end if it keeps its pace: ``start + elapsed * 100 / progress``. An action the
poller sees at 0 % straight from the request that started it began about then; one that follows
another (``start_server`` after ``create_server``: the ``next_actions`` of a create) begins when
that one ends. Without a known start, two readings give the pace. Commands that ran before teach
how long the next one of the kind takes, before its progress says anything.

Pure: no clock, no I/O. Times are seconds on the poller's monotonic clock.
https://docs.hetzner.cloud/reference/cloud#actions
"""

from __future__ import annotations

import heapq
import math
import random
import statistics
from collections import deque
from collections.abc import Sequence

import attrs

from .models import Action

__all__ = ["Forecast", "PollPolicy", "Reading", "Track"]

#: How far a known start must lie behind a reading, in multiples of how uncertain that start is,
#: before the reading's elapsed time is trusted.
_TRUSTED_ELAPSED = 3.0
#: A forecast from a reading below this progress is read again, at this share of the way left.
_REFINE_BELOW = 50
_REFINE_AT = 0.75
#: How many of the latest durations of each command are kept to learn from.
_LEARNED = 9


@attrs.frozen
class PollPolicy:
    """When the poller asks: at each action's forecast end, else short at first, then backing off.

    While progress says when an action will end, it is read ``margin`` seconds after that; while
    it says nothing (0 %, or no movement), ``initial`` seconds after it was last asked, growing by
    ``factor`` up to ``cap``, with jitter. No action goes longer than ``cap`` without being asked.
    Polls spend at most ``budget_share`` of the request budget the rate-limit governor sees (see
    ``Budget.spare_rate``): eager while the bucket is full, stretched as it runs low.
    """

    #: Seconds before the first poll of an action whose end nothing foretells yet.
    initial: float = attrs.field(default=0.5, validator=attrs.validators.gt(0))
    #: Growth of that interval after each poll that told nothing new.
    factor: float = attrs.field(default=1.5, validator=attrs.validators.ge(1))
    #: Longest interval in seconds between two polls of one action.
    cap: float = attrs.field(default=5.0, validator=attrs.validators.gt(0))
    #: Relative jitter of the backing-off intervals: scaled by a factor in [1 - jitter, 1 + jitter].
    jitter: float = attrs.field(
        default=0.1, validator=attrs.validators.and_(attrs.validators.ge(0), attrs.validators.lt(1))
    )
    #: Seconds after an action's forecast end that its poll is sent; polls due within half of it
    #: share one request.
    margin: float = attrs.field(default=0.02, validator=attrs.validators.ge(0))
    #: The most of the request budget that polls may spend: this share of the refill rate plus of
    #: the requests left in the bucket spread over a minute.
    budget_share: float = attrs.field(
        default=0.2,
        validator=attrs.validators.and_(attrs.validators.gt(0), attrs.validators.le(1)),
    )

    def interval(self, tick: int, rng: random.Random) -> float:
        """Return the seconds to wait before backing-off poll number ``tick`` (from 0)."""
        base = min(self.cap, self.initial * self.factor**tick)
        return base * rng.uniform(1 - self.jitter, 1 + self.jitter)


@attrs.frozen
class Reading:
    """An action's progress, as a poll read it at a local time."""

    at: float
    progress: int


@attrs.define(eq=False)
class Track:
    """What the poller knows of one action it waits for."""

    id: int
    command: str
    #: When it was last asked for (or handed to the poller).
    polled: float
    #: When it started, if known, and by how many seconds that may be off.
    start: float | None = None
    start_error: float = 0.0
    #: The action it runs after, while that one still runs, and those that run after it.
    after: Track | None = None
    children: list[Track] = attrs.field(factory=list)
    #: Whether someone waits for it without waiting for what follows it too.
    alone: bool = False
    #: The first reading above 0 % and the latest one that moved.
    first: Reading | None = None
    latest: Reading | None = None
    #: Polls in a row that told nothing (the backing-off schedule's tick).
    quiet: int = 0
    #: The forecast end (None: nothing foretells it) and when the next poll is due.
    end: float | None = None
    due: float = 0.0

    def elapsed_trusted(self, at: float) -> bool:
        """Tell whether the known start lies far enough behind ``at`` to read a pace from."""
        return self.start is not None and at - self.start > _TRUSTED_ELAPSED * self.start_error


class Forecast:
    """Forecasts and poll times of every action the poller waits for."""

    def __init__(self, policy: PollPolicy, rng: random.Random) -> None:
        self.policy = policy
        self._rng = rng
        self.tracks: dict[int, Track] = {}
        #: Seconds each command took lately (learned from progress), the latest few of each.
        self._durations: dict[str, deque[float]] = {}
        #: Seconds a poll takes to reach the API (half its round trip): a poll goes out that
        #: much before it should be read. The poller keeps it up to date.
        self.lead = 0.0

    # --- what comes in ------------------------------------------------------------------------

    def add(self, actions: Sequence[Action], now: float) -> None:
        """Track the running ones of these actions (handed to the poller together at ``now``).

        An action at 0 % that shares a resource with an earlier running action of the same call
        follows it (a create's ``next_actions``); any other at 0 % starts now.
        """
        earlier: list[tuple[Action, Track]] = []
        for action in actions:
            if action.done:
                continue
            track = self.tracks.get(action.id)
            if track is None:
                track = Track(action.id, action.command, polled=now)
                if action.progress == 0:
                    track.after = _predecessor(action, earlier)
                    if track.after is None:
                        # The API started it when it read the request: about half a round
                        # trip before the answer came.
                        track.start = now - self.lead
                    else:
                        track.after.children.append(track)
                else:
                    track.first = track.latest = Reading(now, action.progress)
                self.tracks[action.id] = track
            earlier.append((action, track))
        called = {track.id for _, track in earlier}
        for _, track in earlier:
            # Someone waits for it and not for what follows it: its own end matters.
            track.alone |= not any(child.id in called for child in track.children)
        for root in {_root(track).id: _root(track) for _, track in earlier}.values():
            self._plan(root)

    def observe(self, action: Action, at: float, *, due: bool) -> None:
        """Fold in a poll's reading of a running action, whose answer came at ``at``.

        ``due``: the poll was for this action (not just filling a request): a reading that
        tells nothing then backs the schedule off.
        """
        track = self.tracks.get(action.id)
        if track is None:
            return
        previous = track.latest
        # The API read it about half a round trip before the answer came.
        track.polled = at = at - self.lead
        reading = Reading(at, action.progress)
        if track.first is None and action.progress > 0:
            track.first = reading  # (at 0 % it may not have started yet: no pace from that)
        moved = previous is None or action.progress > previous.progress
        if moved:
            track.latest = reading
        if due and (not moved or action.progress == 0):
            track.quiet += 1
        elif moved and action.progress > 0:
            track.quiet = 0
        self._plan(_root(track))

    def ended(self, action_id: int, at: float) -> None:
        """Forget an action seen ended at ``at``; learn its duration, start what follows it."""
        track = self.tracks.pop(action_id, None)
        if track is None:
            return
        # It ended after it was last seen running and before this answer.
        last_running = track.polled
        estimate = track.end if track.end is not None else (last_running + at) / 2
        end = min(max(estimate, last_running), at)
        latest = track.latest
        if (
            track.start is not None
            and latest is not None
            and latest.progress > 0
            and track.elapsed_trusted(latest.at)
        ):
            self._learn(track.command, end - track.start)
        # Where it ended is known as well as its forecast was (or only between the two polls).
        error = at - last_running if track.end is None else max(at - end, self.policy.margin)
        for child in track.children:
            child.after = None
            child.start = end
            child.start_error = error
            child.quiet = 0  # it starts now: its polls so far said nothing of it
            self._plan(child)

    def forget(self, action_id: int) -> None:
        """Stop tracking an action nobody waits for any more."""
        track = self.tracks.pop(action_id, None)
        if track is not None:
            for child in track.children:
                child.after = None
                self._plan(child)

    # --- what goes out ------------------------------------------------------------------------

    def wake(self, need: int, patience: float) -> float:
        """Return when ``need`` actions are due, or ``patience`` seconds after the first one is.

        ``inf`` when nothing is tracked.
        """
        dues = heapq.nsmallest(max(1, need), (track.due for track in self.tracks.values()))
        if not dues:
            return math.inf
        return min(dues[-1], dues[0] + patience)

    def select(self, now: float, size: int, requests: int) -> tuple[list[int], set[int]]:
        """Return the IDs to ask for now, at most ``requests * size``, and which were due.

        Due ones first (the most overdue first); the last request's free places go to the
        actions due next, since their readings cost nothing extra.
        """
        window = now + self.policy.margin / 2
        ready = sorted((t for t in self.tracks.values() if t.due <= window), key=_by_due)
        due = [t.id for t in ready[: size * requests]]
        if not due:
            return [], set()
        free = math.ceil(len(due) / size) * size - len(due)
        chosen = set(due)
        later = (t for t in self.tracks.values() if t.id not in chosen)
        return due + [t.id for t in heapq.nsmallest(free, later, key=_by_due)], chosen

    # --- forecasts ----------------------------------------------------------------------------

    def duration(self, command: str) -> float | None:
        """Return how long actions of this command took lately (the median), None if unknown.

        The median shrugs off the odd action whose start was noted late (a busy event loop).
        """
        samples = self._durations.get(command)
        return None if not samples else statistics.median(samples)

    def _learn(self, command: str, duration: float) -> None:
        if duration > 0:
            self._durations.setdefault(command, deque(maxlen=_LEARNED)).append(duration)

    def forecast(self, track: Track) -> float | None:
        """Return when the action will end, or None when nothing says."""
        if track.after is not None:
            before = track.after.end
            duration = self.duration(track.command)
            return None if before is None or duration is None else before + duration
        latest = track.latest
        if latest is not None and latest.progress > 0:
            # The reading was taken somewhere in the request's flight; progress is a whole
            # percentage: half a point is the middle of what it may stand for.
            share = min(100.0, latest.progress + 0.5) / 100
            if track.start is not None and track.elapsed_trusted(latest.at):
                return track.start + (latest.at - track.start) / share
            first = track.first
            if first is not None and latest.progress > first.progress and latest.at > first.at:
                pace = (latest.progress - first.progress) / (latest.at - first.at)
                return latest.at + (100 - latest.progress) / pace
        duration = self.duration(track.command)
        if duration is None:
            return None
        if latest is not None and latest.progress > 0:
            # One reading and a start known only roughly (a follower whose predecessor was seen
            # ended between two polls far apart): what is left of the time its command takes.
            # Its start plus that time may lie before the reading, and backing off from there
            # would see it end up to ``initial`` late.
            return latest.at + duration * (1 - min(100.0, latest.progress + 0.5) / 100)
        return None if track.start is None else track.start + duration

    def _plan(self, track: Track) -> None:
        """Set the forecast ends and the times of the next polls of an action and its followers.

        An action whose waiters all wait for what follows it too is asked for with its
        followers, once their ends are foretold: its own end would wake nobody.
        """
        self._plan_one(track)
        for child in track.children:
            self._plan(child)
        if not track.alone and track.children and all(c.end is not None for c in track.children):
            track.due = min(child.due for child in track.children)

    def _plan_one(self, track: Track) -> None:
        """Set the forecast end and the time of the next poll of one action."""
        policy = self.policy
        track.end = end = self.forecast(track)
        if track.after is not None and end is None:
            # Nothing to learn before its predecessor ends: ask with it.
            track.due = track.after.due
            return
        if end is not None and end > track.polled:
            due = end + policy.margin - self.lead
            latest = track.latest
            if latest is not None and 0 < latest.progress < _REFINE_BELOW:
                # Read early, a whole percentage stands for much time: read it again three
                # quarters of the way to the earliest end it allows, when it is worth far more.
                early = _earliest(track, latest, end)
                refine = latest.at + _REFINE_AT * (early - latest.at)
                if refine > track.polled + policy.margin:
                    due = min(due, refine)
        else:  # nothing foretells the end, or the forecast has passed: back off
            due = track.polled + policy.interval(track.quiet, self._rng)
            if end is None and track.start is not None and track.start_error > 0:
                # It started when its predecessor ended, known only roughly: once it has run
                # long enough, one reading tells its pace.
                trusted = track.start + _TRUSTED_ELAPSED * track.start_error
                if trusted > track.polled:
                    due = min(due, trusted)
        track.due = min(due, track.polled + policy.cap)


def _earliest(track: Track, latest: Reading, end: float) -> float:
    """Return the earliest end a reading above 0 % allows, no later than the forecast ``end``.

    A whole percentage read may stand for almost a point more, and a pace read over a few
    points for a point more over its span: from 1 % and 3 % read 0.09 s apart, the pace may
    be half as fast again as the middle guess. An early look aimed at the middle guess could
    come after the end.
    """
    if track.start is not None and track.elapsed_trusted(latest.at):
        return track.start + (latest.at - track.start) * 100 / (latest.progress + 1)
    first = track.first
    if first is not None and latest.progress > first.progress and latest.at > first.at:
        fastest = (latest.progress - first.progress + 1) / (latest.at - first.at)
        return min(end, latest.at + (99 - latest.progress) / fastest)
    return end


def _root(track: Track) -> Track:
    """Return the first action of the chain a track belongs to."""
    while track.after is not None:
        track = track.after
    return track


def _by_due(track: Track) -> float:
    return track.due


def _predecessor(action: Action, earlier: list[tuple[Action, Track]]) -> Track | None:
    """Return the latest earlier running action of the same call on one of its resources."""
    mine = {(r.type, r.id) for r in action.resources}
    for other, track in reversed(earlier):
        if not other.done and mine & {(r.type, r.id) for r in other.resources}:
            return track
    return None
