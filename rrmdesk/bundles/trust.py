"""Partner ministries we accept bundles from, kept inside the encrypted database.

Each partner is a principal with one Ed25519 signing key, an age recipient we encrypt to, a
validity window, and who confirmed the key's fingerprint with the partner (read aloud on a
separate channel) and when. Revoked entries stay, so a bundle signed with a revoked key is
refused by name rather than as merely unknown. ``allowed_signers`` is the OpenSSH form of the
same list, so a partner-side ``ssh-keygen -Y verify`` uses exactly what we trust.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import pyrage

from ..clock import parse_time, utc_now
from ..database import db_errors
from ..errors import IntegrityError, NotFoundError, UsageError
from ..store import Store
from .manifest import NAMESPACE
from .sshsig import PublicKey, check_principal


@dataclass(frozen=True)
class Partner:
    principal: str
    signing_key: str
    fingerprint: str
    age_recipient: str
    valid_from: str
    valid_until: str | None
    confirmed_by: str
    confirmed_at: str
    revoked_at: str | None

    @property
    def public_key(self) -> PublicKey:
        return PublicKey.from_openssh(self.signing_key)

    def status(self, now: str) -> str:
        """'trusted', 'revoked', 'expired' or 'not-yet-valid' at ``now``."""
        if self.revoked_at:
            return "revoked"
        if self.valid_until and now > self.valid_until:
            return "expired"
        if now < self.valid_from:
            return "not-yet-valid"
        return "trusted"

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


_COLUMNS = "principal, signing_key, fingerprint, age_recipient, valid_from, valid_until, confirmed_by, confirmed_at, revoked_at"


def _age_recipient(text: str) -> str:
    cleaned = text.strip()
    if cleaned.upper().startswith("AGE-SECRET-KEY-"):
        raise UsageError("that is a private age key, not a recipient (it was not stored)",
                         "never pass private keys around; the partner gives you the public age1... recipient")
    try:
        return str(pyrage.x25519.Recipient.from_str(cleaned))
    except Exception as exc:  # pyrage raises its own RecipientError (or ValueError for junk)
        raise UsageError(f"{cleaned[:80]!r} is not an age recipient",
                         "it starts with age1 and is printed by 'rrmdesk keys show'") from exc


class TrustStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _rows(self, where: str = "1", params: tuple = ()) -> list[Partner]:
        with db_errors():
            rows = self.store.db.conn.execute(
                f"SELECT {_COLUMNS} FROM bundle_partners WHERE {where} ORDER BY principal, seq", params).fetchall()
        return [Partner(*row) for row in rows]

    def partners(self, include_revoked: bool = True) -> list[Partner]:
        return self._rows() if include_revoked else self._rows("revoked_at IS NULL")

    def get(self, principal: str) -> Partner:
        """The current (unrevoked) entry of ``principal``."""
        found = self._rows("principal = ? AND revoked_at IS NULL", (principal,))
        if not found:
            raise NotFoundError(f"{principal} is not a trusted partner", "see 'rrmdesk keys list'; add it with 'rrmdesk keys trust'")
        return found[0]

    def trust(self, principal: str, key_line: str, age_recipient: str, confirmed_by: str,
              valid_from: str | None = None, valid_until: str | None = None) -> Partner:
        principal = check_principal(principal)
        key = PublicKey.from_openssh(key_line)
        recipient = _age_recipient(age_recipient)
        if not confirmed_by.strip():
            raise UsageError("say who confirmed the fingerprint with the partner", "pass --confirmed-by NAME")
        now = utc_now()
        start = parse_time(valid_from, "valid-from") if valid_from else now
        end = parse_time(valid_until, "valid-until") if valid_until else None
        if end and end <= start:
            raise UsageError("the key would expire before it becomes valid", "check --valid-until")
        partner = Partner(principal, key.openssh(), key.fingerprint, recipient, start, end, confirmed_by.strip(), now, None)
        with self.store.transaction() as db:
            if self._rows("principal = ? AND revoked_at IS NULL", (principal,)):
                raise UsageError(f"{principal} is already trusted", f"revoke the old key first: 'rrmdesk keys revoke {principal}'")
            for other in self._rows("fingerprint = ?", (key.fingerprint,)):
                if other.revoked_at:
                    raise UsageError(f"the key {key.fingerprint} was revoked for {other.principal}", "ask the partner for a new key")
                raise UsageError(f"the key {key.fingerprint} is already trusted for {other.principal}",
                                 "each partner signs with its own key")
            db.conn.execute(f"INSERT INTO bundle_partners ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            tuple(asdict(partner).values()))
            self.store.record_event("partner-trust", f"partner:{principal}", {
                "principal": principal, "fingerprint": key.fingerprint, "age_recipient": recipient,
                "valid_from": start, "valid_until": end, "confirmed_by": partner.confirmed_by})
        return partner

    def revoke(self, principal: str) -> Partner:
        with self.store.transaction() as db:
            current = self.get(principal)
            now = utc_now()
            db.conn.execute("UPDATE bundle_partners SET revoked_at = ? WHERE principal = ? AND revoked_at IS NULL", (now, principal))
            self.store.record_event("partner-revoke", f"partner:{principal}", {"principal": principal, "fingerprint": current.fingerprint})
        return self._rows("principal = ? AND fingerprint = ?", (principal, current.fingerprint))[0]

    def signer(self, key: PublicKey, now: str | None = None) -> Partner:
        """The partner whose key made a signature, if we trust that key now; otherwise say why not."""
        now = now or utc_now()
        entries = self._rows("fingerprint = ?", (key.fingerprint,))
        if not entries:
            raise IntegrityError(f"the bundle is signed by an unknown key {key.fingerprint}",
                                 "nothing was imported; if the partner has a new key, confirm its fingerprint and 'rrmdesk keys trust' it")
        partner = entries[-1]
        status = partner.status(now)
        if status == "revoked":
            raise IntegrityError(f"the bundle is signed by {partner.principal}'s key {key.fingerprint}, revoked on {partner.revoked_at}",
                                 "nothing was imported; do not trust it")
        if status == "expired":
            raise IntegrityError(f"the bundle is signed by {partner.principal}'s key {key.fingerprint}, which expired on {partner.valid_until}",
                                 "nothing was imported; ask the partner for its current key")
        if status == "not-yet-valid":
            raise IntegrityError(f"the bundle is signed by {partner.principal}'s key, valid only from {partner.valid_from}",
                                 "nothing was imported; check the trust entry with 'rrmdesk keys list'")
        return partner

    def allowed_signers(self) -> str:
        """OpenSSH allowed_signers lines for every partner key valid now (ssh-keygen -Y verify -f)."""
        now = utc_now()
        lines = []
        for partner in self.partners(include_revoked=False):
            if partner.status(now) == "expired":
                continue
            options = [f'namespaces="{NAMESPACE}"', f'valid-after="{_ssh_time(partner.valid_from)}"']
            if partner.valid_until:
                options.append(f'valid-before="{_ssh_time(partner.valid_until)}"')
            lines.append(f"{partner.principal} {','.join(options)} {partner.public_key.openssh()}")
        return "".join(line + "\n" for line in lines)

    def export_allowed_signers(self, destination: Path) -> int:
        text = self.allowed_signers()
        Path(destination).write_text(text, encoding="utf-8")
        return text.count("\n")


def _ssh_time(stamp: str) -> str:
    """OpenSSH's YYYYMMDDHHMMSSZ (UTC) form of our timestamps."""
    return stamp[:19].replace("-", "").replace("T", "").replace(":", "") + "Z"
