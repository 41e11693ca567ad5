"""The rules the design rests on: a Qt-free core, one public API, one error boundary."""

from __future__ import annotations

import subprocess
import sys
import threading
import tomllib

import pytest

import rrmdesk
from rrmdesk import BusyError, RRMDeskError, StoreError, UnlockError, UsageError
from rrmdesk import errors as error_tree
from rrmdesk.database import DatabaseFailure, dbapi2, open_encrypted

from .conftest import PYTHON, REPO

RANDOM_KEY = bytes(range(32))


def test_core_and_cli_import_without_qt() -> None:
    code = (
        "import sys, rrmdesk, rrmdesk.cli; rrmdesk.cli.build_parser(); "
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui')); print(qt)"
    )
    done = subprocess.run([str(PYTHON), "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace('"', '\\"') + '"'


def test_import_linter_contracts_hold(tmp_path) -> None:
    """pyproject.toml's contracts, run by the real lint-imports.

    import-linter refuses a contract that names external modules (PySide6) unless
    ``include_external_packages`` is set; pyproject.toml lacks it (reported to the lead), so the
    same contracts are written out with it set, and nothing else changed.
    """
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert any("PySide6" in c.get("forbidden_modules", []) for c in config["contracts"])
    config["include_external_packages"] = True
    lines = ["[tool.importlinter]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in config.items() if k != "contracts"]
    for contract in config["contracts"]:
        lines += ["", "[[tool.importlinter.contracts]]", *(f"{k} = {_toml_value(v)}" for k, v in contract.items())]
    path = tmp_path / "importlinter.toml"
    path.write_text("\n".join(lines) + "\n")
    done = subprocess.run([str(REPO / ".venv" / "bin" / "lint-imports"), "--config", str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(config['contracts'])} kept, 0 broken." in done.stdout


def test_public_api_names_exist() -> None:
    assert len(rrmdesk.__all__) == len(set(rrmdesk.__all__))
    for name in rrmdesk.__all__:
        assert hasattr(rrmdesk, name), name
    for name in error_tree.__all__:
        assert getattr(rrmdesk, name) is getattr(error_tree, name)


def test_every_error_carries_a_message_and_a_hint() -> None:
    for name in error_tree.__all__[1:]:
        cls = getattr(error_tree, name)
        assert issubclass(cls, RRMDeskError)
        error = cls("something went wrong") if name != "Cancelled" else cls()
        assert error.message and "\n" not in error.text()
        assert error.hint, f"{name} has no default hint"


# -- the boundary: sqlcipher3's exceptions reach callers as RRMDeskErrors -----------------------


def _mapped(raised: pytest.ExceptionInfo) -> None:
    assert isinstance(raised.value, RRMDeskError)
    assert not isinstance(raised.value, DatabaseFailure)
    assert isinstance(raised.value.__cause__, dbapi2.Error), raised.value.__cause__


def test_wrong_key_is_an_unlock_error_from_sqlcipher(store) -> None:
    with pytest.raises(UnlockError) as raised:
        open_encrypted(store.path, RANDOM_KEY)
    _mapped(raised)


def test_a_file_that_is_not_a_database_is_mapped(tmp_path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"just some text, not a database at all" * 200)
    with pytest.raises(UnlockError) as raised:
        open_encrypted(path, RANDOM_KEY)
    _mapped(raised)


def test_a_held_write_lock_is_a_busy_error(store, case) -> None:
    other = store.open_another()
    other.db.conn.execute("BEGIN IMMEDIATE")
    try:
        store.db.conn.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(BusyError) as raised:
            store.create_case("Blocked")
        _mapped(raised)
    finally:
        other.db.conn.execute("ROLLBACK")
        other.close()
    store.db.conn.execute("PRAGMA busy_timeout = 15000")
    store.create_case("After the lock")


def test_a_writer_waits_for_a_short_lock_instead_of_failing(store, case) -> None:
    other = store.open_another()
    other.db.conn.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: other.db.conn.execute("COMMIT"))
    release.start()
    try:
        store.create_case("Waited for the lock")
    finally:
        release.join()
        other.close()
    assert store.count_cases() == 2


def test_a_damaged_page_is_a_store_error(store, case) -> None:
    from rrmdesk import Store

    for number in range(40):
        store.create_case(f"Padding case {number}", summary="padding " * 300)
    store.close()
    with store.path.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 4096 * 6)
    with pytest.raises((StoreError, UnlockError)) as raised:
        with Store.open(store.path, store._key, "test-analyst") as damaged:
            damaged.list_cases()
            damaged.search("padding")
            damaged.verify_audit()
    _mapped(raised)


def test_a_constraint_violation_is_a_usage_error(store, case) -> None:
    from rrmdesk import Actor

    actor = store.add(Actor(case_id=case.id, name="Once"))
    with pytest.raises(UsageError) as raised:
        store.add(Actor(id=actor.id, case_id=case.id, name="Twice"))
    _mapped(raised)


# -- the sqlite-utils pitfall (DESIGN.md 3) -------------------------------------------------------


def test_sqlite_utils_uses_sqlcipher3() -> None:
    import sqlite_utils.db

    assert sqlite_utils.db.sqlite3.__name__.startswith("sqlcipher3")
    assert sys.modules["pysqlite3"] is sys.modules["sqlcipher3"]


def test_sqlite_utils_drop_ignore_and_insert_alter_work_on_an_encrypted_connection(tmp_path) -> None:
    db = open_encrypted(tmp_path / "scratch.db", RANDOM_KEY)
    try:
        db["never_created"].drop(ignore=True)
        db["notes"].insert({"id": 1, "text": "first"}, pk="id")
        db["notes"].insert({"id": 2, "text": "second", "source": "added column"}, alter=True)
        assert db["notes"].columns_dict == {"id": int, "text": str, "source": str}
        assert [r["source"] for r in db["notes"].rows] == [None, "added column"]
        db["notes"].drop(ignore=True)
        db["notes"].drop(ignore=True)
        assert "notes" not in db.table_names()
    finally:
        db.close()
    with pytest.raises(UnlockError):
        open_encrypted(tmp_path / "scratch.db", bytes(32))
