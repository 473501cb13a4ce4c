#!/usr/bin/env python3
"""Fills OpenIddictTokens with N rows for the prune benchmark: a share are prunable (created 10 days ago,
redeemed or expired), the rest are recent and valid. Usage: seed_tokens.py <db> <rows> <prunable-share>"""
import datetime
import sqlite3
import sys
import uuid

db, rows, share = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
connection = sqlite3.connect(db)
app = connection.execute("SELECT Id FROM OpenIddictApplications WHERE ClientId = 'bench-app'").fetchone()[0]
now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
fmt = "%Y-%m-%d %H:%M:%S"
old_created = (now - datetime.timedelta(days=10)).strftime(fmt)
old_expired = (now - datetime.timedelta(days=3)).strftime(fmt)
recent_created = now.strftime(fmt)
recent_expires = (now + datetime.timedelta(days=7)).strftime(fmt)
prunable = int(rows * share)


def generate():
    for i in range(rows):
        old = i < prunable
        status = ("redeemed" if i % 2 else "valid") if old else "valid"
        yield (str(uuid.uuid4()), app, str(uuid.uuid4()), old_created if old else recent_created,
               old_expired if old else recent_expires, status, "subject-%d" % (i % 5000),
               "urn:ietf:params:oauth:token-type:refresh_token")


connection.execute("PRAGMA journal_mode=WAL")
connection.execute("PRAGMA synchronous=OFF")
with connection:
    connection.executemany(
        'INSERT INTO OpenIddictTokens (Id, ApplicationId, ConcurrencyToken, CreationDate, ExpirationDate, Status, Subject, Type) '
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?)', generate())
connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print("inserted %d token rows, %d prunable" % (rows, prunable))
