"""Scale: the same pipeline on a Ray cluster (Ray Data), and Parquet results loaded into a store.

    ingest(["s3://news/cc-news/"], Settings(store="postgresql://..."), address="ray://head:10001")
    ingest(["news/"], Settings(store="diurna.db"), out="parquet://runs/0521")   # then load(...)
    load("runs/0521", "diurna.db")

The dataset flows through four Ray Data steps:

    inputs ──> shards ──(read, one task a file)──> documents ──(repartition)──> Coder actors ──> sink
               files,     the sources stage's        Document |                 the Pipeline of
               URLs       own readers               Failure, pickled            the local engine

- **shards**: the driver lists the inputs. Every file (a local path, or a pyarrow/fsspec URI such as
  s3:// or gs://, walked like a directory when it is one) is a shard read by a Ray task with the
  sources stage's own readers, so document ids, WARC records and failures are those of a local run.
  URLs, feeds and stdin are read on the driver (they are small and fetched politely from one place).
- **Coder** (`map_batches` with a callable class): each actor builds one `Pipeline` (the model is
  loaded once an actor) and runs `Pipeline.run` over its batch: the same stage functions as
  `diurna ingest --engine local`, no second pipeline. It skips the coding of articles whose URL the
  store already holds, as the local workers do.
- **sink**: PostgreSQL is written by the actors, each its own writer (rows in executemany batches,
  see `store.writes.insert_rows`); SQLite by the driver, the only writer; or,
  with `out="parquet://DIR"`, Parquet files under `DIR/articles/`, `DIR/events/` and `DIR/failures/`
  that `load` reads into a store later. Writes go through `Store.add`'s rules (same URL or same text:
  not stored again), so a rerun of the same inputs, on either engine, adds nothing already stored.

Ray retries a failed task and restarts a dead actor (Ray Data's defaults for `map_batches`); a
document that fails inside the pipeline is a `Failure` recorded like a local one. Ray is optional:
`load` needs only pyarrow, and importing this module does not import Ray.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import pickle
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TextIO

from .errors import DiurnaError
from .models import Article, Document, Entity, Event, Failure, Place, Sentence

if TYPE_CHECKING:  # the read tasks import this module: it must not pull in spaCy there
    from . import ingest as local
    from .pipeline import Result

__all__ = ["ingest", "load", "parquet_dir", "RayUnavailable", "BATCH_SIZE", "PARQUET"]

log = logging.getLogger(__name__)

PARQUET = "parquet://"
# Documents a Coder call codes, and so a store transaction (PostgreSQL, SQLite) or a Parquet file
# holds. 16 is the pipeline's own nlp.pipe batch; larger batches did not code faster on 2 CPUs and
# spread a small run over fewer actors.
BATCH_SIZE = 16
# Coding actors per reading slot (see `_coder_cpus`).
READERS_PER = 8


class RayUnavailable(DiurnaError):
    """Ray is not installed: `pip install diurna[ray]`."""


def parquet_dir(out: str) -> str:
    """The directory (local path or filesystem URI) that `parquet://DIR` names."""
    if not out.startswith(PARQUET) or not out[len(PARQUET):].strip():
        raise DiurnaError(f"--out must be parquet://DIR, not {out!r}")
    return out[len(PARQUET):]


# --- the driver ----------------------------------------------------------------------------------

def ingest(sources: Sequence[str], settings: local.Settings, *, address: str | None = None,
           out: str | None = None, workers: int | None = None, batch_size: int = BATCH_SIZE,
           stdin: TextIO | None = None, allow_private: bool = False, respect_robots: bool = True,
           on_result: Callable[[local.Summary], None] | None = None) -> local.Summary:
    """Code `sources` on Ray into `settings.store` (or Parquet files under `out`); return the summary.

    `address` is an existing cluster's ("auto", "ray://head:10001"); None starts Ray on this machine
    unless one is already running in this process. `workers` is the number of coding actors
    (default: one per CPU of the cluster).

    Example::

        summary = ingest(["cc-news.warc.gz"], Settings(store="postgresql://diurna@db/diurna"))
        print(summary.line())
    """
    from . import ingest as local

    ray = _ray()
    started = time.perf_counter()
    target = parquet_dir(out) if out else None
    if not ray.is_initialized():
        ray.init(address=address, log_to_driver=False,
                 runtime_env={"env_vars": {k: v for k, v in os.environ.items() if k.startswith("DIURNA_")}})
    workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    store = None if target else _open_store(settings.store)
    try:
        sink = "parquet" if target else ("store" if store.dialect == "postgresql" else "driver")
        known: frozenset[str] = frozenset()
        if sink == "driver":  # the workers may not see the driver's SQLite file: send them its URLs
            known = _stored_urls(store)
        shards = _plan(sources, stdin, allow_private, respect_robots)
        if not shards:  # an empty directory: nothing to do, as in a local run
            return _finish(local.Summary(), started)
        dataset = _dataset(ray, shards, batch_size)
        cpus = float(ray.cluster_resources().get("CPU", 1))
        kwargs = dict(settings=settings, sink=sink, target=target, known=known)
        results = dataset.map_batches(Coder, fn_constructor_kwargs=kwargs, batch_size=batch_size,
                                      compute=ray.data.ActorPoolStrategy(size=workers),
                                      num_cpus=_coder_cpus(cpus, workers), batch_format="pyarrow")
        summary = local.Summary()
        for batch in results.iter_batches(batch_size=None, batch_format="pyarrow"):
            payloads = [pickle.loads(raw) for raw in batch.column("payload").to_pylist()]
            if sink == "driver":
                coder = next((c for c in batch.column("coder").to_pylist() if c), "")
                _write(store, payloads, summary, coder)
            else:
                for part in payloads:
                    _merge(summary, part)
            if on_result is not None:
                on_result(summary)
    finally:
        if store is not None:
            store.close()
    return _finish(summary, started)


def _finish(summary: local.Summary, started: float) -> local.Summary:
    summary.seconds = time.perf_counter() - started
    return summary


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401 - the extra installs both
    except ImportError as exc:
        raise RayUnavailable("the Ray engine needs Ray: pip install 'diurna[ray]'") from exc
    ray.data.DataContext.get_current().enable_progress_bars = False  # the CLI shows its own
    return ray


def _open_store(url: str):
    from .store import Store

    return Store.open(url)


def _stored_urls(store) -> frozenset[str]:
    from sqlalchemy import select

    from .store.schema import articles

    with store.read() as conn:
        return frozenset(url for url in conn.execute(select(articles.c.url).where(articles.c.url.is_not(None)))
                         .scalars())


def _dataset(ray, shards: list[dict[str, Any]], batch_size: int):
    """Documents (pickled, one column) as a dataset whose blocks are at most a batch long.

    Reading and cutting into blocks fuse into one task a shard (1 CPU, Ray Data's default for both),
    so a big WARC or JSONL file is spread over all the coding actors, a batch a block.
    """
    files = ray.data.from_items(shards, override_num_blocks=len(shards))
    documents = files.map_batches(_read_shards, batch_size=1, batch_format="pyarrow")  # retried: Ray's default
    return documents.repartition(target_num_rows_per_block=batch_size)


def _coder_cpus(cpus: float, workers: int) -> float:
    """CPUs each coding actor asks Ray for: 1, less where the actors would leave no CPU to read on.

    Ray's CPUs are reservations, not limits. Reading runs at thousands of documents a second and
    coding at tens a CPU, so `READERS_PER` coders share a reading slot: on 2 CPUs, 2 coders ask for
    0.5 each and a reading task for 1, and the coders still use both cores (a reader mostly waits).
    """
    readers = max(1, workers // READERS_PER)
    if workers + readers <= cpus:
        return 1.0
    return max(0.05, (cpus - readers) / workers) if cpus > readers else 0.05


def _read_shards(batch) -> Iterator[dict[str, list[bytes]]]:
    for shard in batch.to_pylist():
        chunk: list[bytes] = []
        for item in _read_shard(shard):
            chunk.append(item)
            if len(chunk) >= BATCH_SIZE:
                yield {"item": chunk}
                chunk = []
        if chunk:
            yield {"item": chunk}


# --- shards: what the driver lists, what a task reads ----------------------------------------------

def _plan(sources: Sequence[str], stdin: TextIO | None, allow_private: bool,
          respect_robots: bool) -> list[dict[str, Any]]:
    """Shards: a file for a worker to read (`uri`), or the items the driver read itself (`items`:
    URLs, feeds, stdin, missing paths; pickled, a shard a batch)."""
    from . import sources as reading

    files: list[Any] = []  # reading._FileInput, with the URI to open in `uri`
    uris: dict[Path, str] = {}
    direct: list[str] = []
    for raw in sources:
        if raw == "-" or (reading.is_url(raw.strip()) and raw.strip().split("://")[0].lower() in ("http", "https")):
            direct.append(raw)
        elif reading.is_url(raw.strip()):
            for path, rel in _list_uri(raw.strip()):
                key = Path(f"/{uuid.uuid4().hex}") / Path(path).name  # a unique key with the file's name
                files.append(reading._FileInput(key, rel))
                uris[key] = path if "://" in path else raw.strip().split("://")[0] + "://" + path
        else:
            direct_path = Path(raw)
            if direct_path.is_dir():
                for item in reading._walk(direct_path):
                    files.append(item)
                    uris[item.path] = str(item.path.resolve())
            elif direct_path.is_file():
                item = reading._FileInput(direct_path, str(direct_path))
                files.append(item)
                uris[item.path] = str(direct_path.resolve())
            else:
                direct.append(raw)  # read_sources turns it into the same Failure a local run records
    ids = reading._unique_ids(files)  # ids as a local run gives them: stems, made unique in the run
    shards = [{"uri": uris[f.path], "rel": f.rel, "name": f.path.name, "doc_id": ids[f.path], "items": None}
              for f in files]
    if direct:
        early = [pickle.dumps(item) for item in reading.read_sources(
            direct, stdin=stdin, allow_private=allow_private, respect_robots=respect_robots)]
        shards += [{"uri": "", "rel": "", "name": "", "doc_id": "", "items": pickle.dumps(early[i:i + BATCH_SIZE])}
                   for i in range(0, len(early), BATCH_SIZE)]
    return shards


def _filesystem(uri: str):
    """(pyarrow filesystem, path) for a URI: pyarrow's own (file, s3, gs, hdfs, abfs), else fsspec's."""
    from pyarrow import fs

    try:
        return fs.FileSystem.from_uri(uri)
    except (ValueError, TypeError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        try:
            import fsspec
        except ImportError:
            raise DiurnaError(f"cannot open {uri}: {exc}") from exc
        filesystem, path = fsspec.core.url_to_fs(uri)
        return fs.PyFileSystem(fs.FSSpecHandler(filesystem)), path


def _list_uri(uri: str) -> list[tuple[str, str]]:
    """(path, path relative to the URI) of every file a filesystem URI names, sorted."""
    from pyarrow import fs

    filesystem, root = _filesystem(uri)
    info = filesystem.get_file_info(root)
    if info.type == fs.FileType.File:
        return [(root, Path(root).name)]
    if info.type != fs.FileType.Directory:
        raise DiurnaError(f"no such file or directory: {uri}")
    found = filesystem.get_file_info(fs.FileSelector(root, recursive=True))
    out = []
    for item in sorted(found, key=lambda i: i.path):
        rel = os.path.relpath(item.path, root)
        if item.type == fs.FileType.File and not any(part.startswith(".") for part in Path(rel).parts):
            out.append((item.path, Path(rel).as_posix()))
    return out


def _read_shard(shard: dict[str, Any]) -> Iterator[bytes]:
    """Every document of one file, read by the sources stage's own reader (in a Ray task), pickled."""
    from . import sources as reading

    if shard["items"] is not None:
        yield from pickle.loads(shard["items"])
        return
    uri = shard["uri"]
    if "://" not in uri or uri.startswith("file://"):
        path = Path(uri.removeprefix("file://"))
        for item in reading._read_file(reading._FileInput(path, shard["rel"]), shard["doc_id"]):
            yield pickle.dumps(item)
        return
    filesystem, remote = _filesystem(uri)
    with tempfile.TemporaryDirectory(prefix="diurna-") as tmp:
        path = Path(tmp) / shard["name"]
        with filesystem.open_input_stream(remote) as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        for item in reading._read_file(reading._FileInput(path, shard["rel"]), shard["doc_id"]):
            if item.origin.startswith(str(path)):
                item.origin = uri + item.origin[len(str(path)):]
            yield pickle.dumps(item)


# --- the workers -----------------------------------------------------------------------------------

class Coder:
    """A Ray Data `map_batches` callable: one Pipeline an actor, then each batch coded and written."""

    def __init__(self, settings: local.Settings, sink: str, target: str | None = None,
                 known: frozenset[str] = frozenset()):
        self.settings = settings
        self.sink, self.target, self.known = sink, target, known
        self.store = _open_store(settings.store) if sink == "store" else None
        self._pipeline = None

    @property
    def pipeline(self):
        """The actor's one Pipeline, built on first use: a rerun whose articles are all stored
        loads no model."""
        if self._pipeline is None:
            from .dictionary import load_user_dictionary
            from .pipeline import Pipeline

            user = load_user_dictionary(self.settings.actors) if self.settings.actors else None
            self._pipeline = Pipeline(published=self.settings.published, user_actors=user, batch_size=BATCH_SIZE,
                                      min_confidence=self.settings.min_confidence)
        return self._pipeline

    def __call__(self, batch):
        import pyarrow as pa

        from . import ingest as local

        items = [pickle.loads(raw) for raw in batch.column("item").to_pylist()]
        results = list(self._code(items))
        coder = self._pipeline.coder if self._pipeline is not None else ""  # "": nothing coded
        if self.sink == "driver":
            payload = [pickle.dumps(result) for result in results]
            return pa.table({"payload": payload, "coder": [coder] * len(payload)})
        summary = local.Summary()
        if self.sink == "store":
            _write(self.store, results, summary, coder)
        else:
            _write_parquet(self.target, results, summary, coder)
        return pa.table({"payload": [pickle.dumps(summary)], "coder": [coder]})

    def _code(self, items: list[Document | Failure]) -> Iterator[Result | str]:
        """One outcome an item, in order: a Result, or "duplicate" for a URL already stored."""
        from .pipeline import Result

        todo: list[Document | Failure] = []
        outcomes: list[Result | str | None] = []
        for item in items:
            if isinstance(item, Document) and item.url and self._known(item.url):
                outcomes.append("duplicate")
            else:
                outcomes.append(None)
                todo.append(item)
        try:
            if any(isinstance(item, Document) for item in todo):
                coded = iter(list(self.pipeline.run(todo)))
            else:  # only failures of the sources stage: recorded as they are, no model needed
                coded = iter([Result(failure=item) for item in todo])
        except DiurnaError as exc:  # as the local engine: the batch's documents fail, the run goes on
            coded = iter([Result(failure=Failure(_doc_id(i), "ingest", str(exc), getattr(i, "origin", "")))
                          for i in todo])
        for outcome in outcomes:
            yield outcome if outcome is not None else next(coded)

    def _known(self, url: str) -> bool:
        if self.store is not None:
            return self.store.has(url=url)
        return url in self.known


def _doc_id(item: Document | Failure) -> str:
    return getattr(item, "id", None) or getattr(item, "doc_id", "?")


# --- sinks ---------------------------------------------------------------------------------------

def _write(store, results: Iterable[Result | str], summary: local.Summary, coder: str) -> None:
    """Record outcomes as the local engine does (`ingest._record`: `Store.add`, one transaction an
    article, so whatever `Store.add` links or checks, both engines do alike)."""
    from . import ingest as local

    for result in results:
        local._record(store, result, summary, coder)


def _merge(into: local.Summary, part: local.Summary) -> None:
    into.articles += part.articles
    into.events += part.events
    into.duplicates += part.duplicates
    into.skipped += part.skipped
    into.failures += part.failures
    into.failed.extend(part.failed)


def _write_parquet(target: str, results: list[Result | str], summary: local.Summary, coder: str) -> None:
    """One Parquet file a batch in each of DIR/articles, DIR/events and DIR/failures."""
    import pyarrow as pa

    from .export import arrow_schema, flat_record
    from .store import codec

    articles, events, failures = [], [], []
    for result in results:
        if result == "duplicate":
            summary.duplicates += 1
            continue
        if result.failure is not None:
            summary.failures += 1
            summary.failed.append(result.failure)
            failures.append(result.failure.to_record())
            continue
        article = result.article
        digest = codec.content_hash(article.text)
        stored_id = codec.article_id(article.url, digest)
        articles.append(_article_row(article, result, stored_id, digest, coder))
        facts = dict(url=article.url, title=article.title, published=article.published, ingested_at=None)
        events += [flat_record(SimpleNamespace(event=codec.keyed(e, stored_id), **facts)) for e in result.events]
        summary.articles += 1
        summary.skipped += bool(result.skipped)
        summary.events += len(result.events)
    name = f"part-{uuid.uuid4().hex}.parquet"
    for folder, rows, schema in (("articles", articles, ARTICLE_SCHEMA()), ("events", events, arrow_schema()),
                                 ("failures", failures, FAILURE_SCHEMA())):
        if rows:
            _write_table(pa.Table.from_pylist(rows, schema=schema), target, folder, name)


def ARTICLE_SCHEMA():  # noqa: N802 - a schema, built on demand so pyarrow loads only when used
    import pyarrow as pa

    return pa.schema([
        ("article_id", pa.string()), ("source_id", pa.string()), ("url", pa.string()), ("title", pa.string()),
        ("byline", pa.string()), ("published", pa.date32()), ("published_source", pa.string()),
        ("site", pa.string()), ("language", pa.string()), ("origin", pa.string()), ("text", pa.string()),
        ("content_hash", pa.string()), ("coder", pa.string()), ("status", pa.string()),
        ("skip_reason", pa.string()),
        ("sentences", pa.list_(pa.struct([("index", pa.int32()), ("start", pa.int64()), ("end", pa.int64())]))),
        ("events_json", pa.string()),  # the full events, as `load` rebuilds them
    ])


def FAILURE_SCHEMA():  # noqa: N802
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in ("doc_id", "stage", "reason", "origin")])


def _article_row(article: Article, result: Result, stored_id: str, digest: str, coder: str) -> dict[str, Any]:
    return {
        "article_id": stored_id, "source_id": article.id, "url": article.url, "title": article.title,
        "byline": article.byline, "published": article.published, "published_source": article.published_source,
        "site": article.site, "language": article.language, "origin": article.origin, "text": article.text,
        "content_hash": digest, "coder": coder, "status": "skipped" if result.skipped else "coded",
        "skip_reason": result.skipped,
        "sentences": [{"index": s.index, "start": s.start, "end": s.end} for s in article.sentences],
        "events_json": json.dumps([_event_dict(e) for e in result.events], ensure_ascii=False),
    }


def _write_table(table, target: str, folder: str, name: str) -> None:
    import pyarrow.parquet as pq
    from pyarrow import fs

    if "://" in target:
        filesystem, root = _filesystem(target)
    else:
        filesystem, root = fs.LocalFileSystem(), str(Path(target).resolve())
    directory = f"{root.rstrip('/')}/{folder}"
    filesystem.create_dir(directory, recursive=True)
    pq.write_table(table, f"{directory}/{name}", filesystem=filesystem)


def _event_dict(event: Event) -> dict[str, Any]:
    record = dataclasses.asdict(event)
    for key in ("date", "enddate"):
        record[key] = record[key].isoformat() if record[key] else None
    return record


def _event_from_dict(record: dict[str, Any]) -> Event:
    record = dict(record)
    record["actor"] = [Entity(**e) for e in record["actor"]]
    record["recipient"] = [Entity(**e) for e in record["recipient"]]
    record["place"] = Place(**record["place"]) if record["place"] else None
    for key in ("date", "enddate"):
        record[key] = dt.date.fromisoformat(record[key]) if record[key] else None
    return Event(**record)


# --- load: Parquet results into a store ------------------------------------------------------------

def load(directory: str, store_url: str, *, batch_size: int = 256,
         on_result: Callable[[local.Summary], None] | None = None) -> local.Summary:
    """Read a `parquet://DIR` run's articles, events and failures into a store, idempotently.

    Articles the store already holds (same URL or same text) are counted as already stored, as in
    `ingest`. Needs pyarrow only, not Ray.

    Example::

        summary = load("runs/0521", "postgresql://diurna@db/diurna")
    """
    import pyarrow.dataset as ds

    from . import ingest as local
    from .pipeline import Result

    started = time.perf_counter()
    summary = local.Summary()
    root = directory.removeprefix(PARQUET)
    with _open_store(store_url) as store:
        for folder in ("failures", "articles"):
            dataset = _parquet(ds, root, folder)
            if dataset is None:
                continue
            for batch in dataset.to_batches(batch_size=batch_size):
                rows = batch.to_pylist()
                if folder == "failures":
                    results = [Result(failure=Failure(r["doc_id"], r["stage"], r["reason"], r["origin"] or ""))
                               for r in rows]
                    _write(store, results, summary, "")
                else:
                    for coder, group in _by_coder(rows):
                        _write(store, [_result_from_row(r) for r in group], summary, coder)
                if on_result is not None:
                    on_result(summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _parquet(ds, root: str, folder: str):
    from pyarrow import fs

    if "://" in root:
        filesystem, base = _filesystem(root)
    else:
        filesystem, base = fs.LocalFileSystem(), str(Path(root).resolve())
    path = f"{base.rstrip('/')}/{folder}"
    info = filesystem.get_file_info(path)
    if info.type == fs.FileType.NotFound:
        if folder == "articles" and filesystem.get_file_info(base).type == fs.FileType.NotFound:
            raise DiurnaError(f"no Parquet results at {root}")
        return None
    return ds.dataset(path, format="parquet", filesystem=filesystem)


def _by_coder(rows: list[dict[str, Any]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["coder"] or "", []).append(row)
    yield from groups.items()


def _result_from_row(row: dict[str, Any]) -> Result:
    from .pipeline import Result
    text = row["text"]
    article = Article(
        id=row["source_id"], text=text, title=row["title"] or "", byline=row["byline"] or "",
        published=row["published"], published_source=row["published_source"] or "", url=row["url"],
        origin=row["origin"] or "", site=row["site"] or "", language=row["language"] or "",
        sentences=[Sentence(s["index"], s["start"], s["end"], text[s["start"]:s["end"]]) for s in row["sentences"]],
    )
    article.events = [_event_from_dict(e) for e in json.loads(row["events_json"] or "[]")]
    return Result(article=article, skipped=row["skip_reason"] or "")
