"""Settings, declared once: name, default and help.  The CLI and the web layer read
them from here (and from ``KG_*`` environment variables), nothing else does.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")
_KINDS = {int: "a whole number", float: "a number", str: "text"}


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any  # its type is the setting's: bool, int, float, str (None: text)
    help: str

    def value(self, env: Mapping[str, str] | None = None) -> Any:
        """The value from the environment (``KG_NAME``) or the default, of the
        default's type (text when the default is None)."""
        raw = (os.environ if env is None else env).get("KG_" + self.name.upper())
        if raw is None:
            return self.default
        if isinstance(self.default, bool):
            if raw.strip().lower() in _TRUE + _FALSE:
                return raw.strip().lower() in _TRUE
            raise ConfigError(f"setting KG_{self.name.upper()}={raw!r}: expected true or false")
        if self.default is None:
            return raw
        try:
            return type(self.default)(raw)
        except ValueError:
            raise ConfigError(f"setting KG_{self.name.upper()}={raw!r}: expected "
                              f"{_KINDS.get(type(self.default), type(self.default).__name__)}"
                              f" (default {self.default!r})") from None


SETTINGS: dict[str, Setting] = {s.name: s for s in [
    Setting("max_file_mb", 32,
            "Largest input file read, in MB; larger files are refused with a clear error."),
    Setting("default_amount_unit", "万元",
            "Unit assumed for amounts when a table prints no 单位 line."),
    Setting("base", "https://w3id.org/bpkg/id/",
            "Base IRI under which the graph's resources are minted; a portal sets its own."),
    Setting("store", "store",
            "The store used by build, query, validate and serve: a folder (the embedded "
            "pyoxigraph store) or the query URL of a SPARQL 1.1 server, http://… or "
            "https://… (see docs/stores.md)."),
    Setting("remote_update_url", "",
            "SPARQL Update URL of a server store; empty: derived from the query URL "
            "(Oxigraph …/update, Virtuoso …/sparql, other servers the query URL)."),
    Setting("remote_graph_store_url", "",
            "Graph Store Protocol URL of a server store; empty: derived (Oxigraph …/store, "
            "Virtuoso …/sparql-graph-crud); other servers are written with SPARQL Update."),
    Setting("remote_user", "",
            "User for a server store's writes and reads (HTTP digest; Virtuoso then uses "
            "its -auth endpoints).  Empty: anonymous."),
    Setting("remote_password", "", "Password of remote_user."),
    Setting("remote_timeout", 60.0,
            "Seconds one request to a server store may take before it counts as timed out "
            "(the endpoint's query_timeout still applies to queries)."),
    Setting("workers", 0,
            "Processes that read and map documents during a build, processes of `kg "
            "validate`'s pySHACL engine, threads or processes of its compiled engine and "
            "threads computing report snapshots; 0 = one per core."),
    Setting("validation_processes_from", 100,
            "Documents a run of the compiled validator checks at least before it runs all "
            "but one of its lanes (setting workers) in worker processes, each opening the "
            "store on disk read-only, rather than in threads, which slow each other down; "
            "0: threads only."),
    Setting("validation_processes_up_to", 5000,
            "Documents a run of the compiled validator checks at most for worker processes: "
            "each process holds its own largest query, whose tables grow with the store (at "
            "5,000 documents two processes held 0.95 GB; at 10,000, in the same hour, 1.51 GB "
            "against 1.21 GB in threads, in about the same time); 0: no limit."),
    Setting("compact", True,
            "Compact the embedded store at the end of a build that changed it (seconds "
            "per thousand documents; queries then run several times faster)."),
    Setting("snapshots", True,
            "Keep the answers of whole-graph reports (named queries marked snapshot) with "
            "each version of the embedded store: computed at the end of a build, served "
            "until the next write (kg/store/snapshots.py)."),
    Setting("batch_quads", 2000000,
            "Quads per write batch of a build; each batch is all-or-nothing if the build "
            "is killed, and streamed to the store's journal (memory does not grow with it); "
            "fewer, larger bulk loads leave the store less to merge."),
    Setting("query_timeout", 30.0,
            "Seconds a query may run on the endpoint before it gets a 503 (never a partial 200)."),
    Setting("max_rows", 100000,
            "Most result rows the endpoint returns; a capped result says so in its headers."),
    Setting("max_request_kb", 1024, "Largest request body the endpoint reads (413 above)."),
    Setting("max_header_kb", 16, "Largest request headers the endpoint reads, in KB (431 above)."),
    Setting("templates", "",
            "Folder of HTML templates searched before the packaged ones (kg/web/templates/): "
            "a file there with a packaged template's name replaces it.  Empty: the packaged."),
    Setting("quick_workers", 2,
            "Processes that run each query first, for quick_query_seconds (a store on disk "
            "served read-only; kg/web/workers.py)."),
    Setting("quick_query_seconds", 0.5,
            "Seconds a query may run in a quick worker before it moves to a heavy one."),
    Setting("query_workers", 2,
            "Processes that run long queries, each until query_timeout, then killed."),
    Setting("query_queue", 16,
            "Long queries that may wait for a query worker; past that, 503 with Retry-After."),
    Setting("worker_start_seconds", 30.0,
            "Seconds kg serve waits at start-up for its query workers to open the store "
            "before it serves; a slower one (a store on a slow disk) joins when ready."),
    Setting("allow_service", False,
            "Let queries use SERVICE and updates LOAD (they make the server fetch URLs for "
            "anyone); off by default."),
    Setting("max_query_kb", 512,
            "Longest query or update text parsed, in KB (400 above; also for kg query)."),
    Setting("max_query_depth", 64,
            "Deepest nesting of { }, ( ) and [ ] parsed in a query or update (400 above): "
            "the engine's parser overflows its stack a few thousand levels down."),
    Setting("write_token", "",
            "If set, SPARQL Update and Graph Store writes are accepted from requests that "
            "send it as a Bearer token (kg serve then opens the store for writing)."),
    Setting("issuer_registry", "",
            "CSV file of agency code prefixes (see registry/issuers.csv, the default); "
            "point it at an extended copy to cover more issuers."),
    Setting("min_coverage", 0.0,
            "Share of a document's lines (0-1) that must be read into records for `kg build` "
            "to load it; a document under it fails with its coverage.  0: load everything."),
    Setting("min_gb2312_share", 0.9,
            "Share of Han characters that must be common (GB2312) characters before a "
            "non-UTF-8 file is accepted as GB18030; guards against mis-decoding."),
]}


def check(env: Mapping[str, str] | None = None) -> None:
    """Read every setting once, so a bad value stops a command before it starts
    (raises ConfigError naming the setting)."""
    for s in SETTINGS.values():
        s.value(env)


def get(name: str, env: Mapping[str, str] | None = None) -> Any:
    """Read one setting, of its declared type.

    >>> get("default_amount_unit")
    '万元'
    """
    return SETTINGS[name].value(env)


def is_set(name: str, env: dict | None = None) -> bool:
    """True when the environment sets the setting (``KG_NAME``), so its value was
    asked for rather than defaulted."""
    return "KG_" + name.upper() in (os.environ if env is None else env)
