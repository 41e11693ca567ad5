"""Undo and redo for every edit the analyst makes, as ``QUndoCommand``s over the ``Session``.

A command is applied once before it is pushed, so a value the core refuses (a bad date, an
unknown T-code) never reaches the stack: the error is reported and the old value stays. Undo
and redo after that go through the store again and are themselves audited changes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoGroup, QUndoStack

from rrmdesk import RRMDeskError
from rrmdesk.model import Record

from .messages import MessageBridge
from .session import Session


class _Command(QUndoCommand):
    def __init__(self, session: Session, bridge: MessageBridge, text: str) -> None:
        super().__init__(text)
        self.session, self.bridge = session, bridge
        self._applied = True  # the first redo() happened before push()

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._guard(self.apply)

    def undo(self) -> None:
        self._guard(self.revert)

    def _guard(self, step: Any) -> None:
        """Qt calls undo/redo from C++: report failures instead of raising through it."""
        try:
            step()
        except RRMDeskError as exc:
            self.setObsolete(True)
            self.bridge.error(exc)

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class EditField(_Command):
    def __init__(self, session: Session, bridge: MessageBridge, record: Record, field: str, new: Any) -> None:
        super().__init__(session, bridge, f"Edit {field.replace('_', ' ')} of {record.label[:40]}")
        self.object_id, self.field = record.id, field
        self.old, self.new = getattr(record, field), new

    def apply(self) -> None:
        self.session.edit(self.object_id, **{self.field: self.new})

    def revert(self) -> None:
        self.session.edit(self.object_id, **{self.field: self.old})


class AddRecord(_Command):
    def __init__(self, session: Session, bridge: MessageBridge, record: Record) -> None:
        super().__init__(session, bridge, f"Add {record.KIND.replace('-', ' ')} {record.label[:40]}")
        self.record = record

    def apply(self) -> None:
        self.session.add(dataclasses.replace(self.record))

    def revert(self) -> None:
        self.session.remove(self.record)


class RemoveRecord(_Command):
    def __init__(self, session: Session, bridge: MessageBridge, record: Record) -> None:
        super().__init__(session, bridge, f"Remove {record.KIND.replace('-', ' ')} {record.label[:40]}")
        self.record = record

    def apply(self) -> None:
        self.session.remove(self.record)

    def revert(self) -> None:
        self.session.add(dataclasses.replace(self.record))


class Editor:
    """Applies changes as undoable commands on the stack of the case they belong to."""

    def __init__(self, session: Session, bridge: MessageBridge, group: QUndoGroup) -> None:
        self.session, self.bridge, self.group = session, bridge, group
        self._stacks: dict[str, QUndoStack] = {}

    def activate(self, case_id: str | None) -> None:
        """Undo and redo follow the case on screen."""
        self.group.setActiveStack(self._stack(case_id) if case_id else None)

    def clear(self) -> None:
        """Forget every stack (on lock: the commands hold case content)."""
        for stack in self._stacks.values():
            self.group.removeStack(stack)
            stack.deleteLater()
        self._stacks.clear()

    def _stack(self, case_id: str) -> QUndoStack:
        if case_id not in self._stacks:
            stack = QUndoStack(self.group)
            self._stacks[case_id] = stack
        return self._stacks[case_id]

    def _push(self, case_id: str, command: _Command, first: Any) -> bool:
        try:
            first()
        except RRMDeskError as exc:
            self.bridge.error(exc)
            return False
        self._stack(case_id).push(command)
        return True

    def edit(self, record: Record, field: str, value: Any) -> bool:
        """Change one field; False (and the reason shown) if the core refuses the value."""
        if getattr(record, field) == value:
            return True
        command = EditField(self.session, self.bridge, record, field, value)
        return self._push(_case_of(record), command, command.apply)

    def add(self, record: Record) -> bool:
        command = AddRecord(self.session, self.bridge, record)
        return self._push(_case_of(record), command, command.apply)

    def remove(self, record: Record) -> bool:
        command = RemoveRecord(self.session, self.bridge, record)
        return self._push(_case_of(record), command, command.apply)


def _case_of(record: Record) -> str:
    return getattr(record, "case_id", None) or record.id
