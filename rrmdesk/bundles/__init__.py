"""Signed case bundles (``.rrmb``) exchanged between ministries (DESIGN.md 6).

A bundle is a zip holding an RFC 8785 manifest, its SSHSIG signature and the payload (the
case as STIX 2.1 and the evidence files), optionally encrypted with age to its recipients.
"""
