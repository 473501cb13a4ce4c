#!/usr/bin/env bash
# Adds an EF Core migration for SQLite under Migrations/Sqlite (usage: Migrations/add-migration.sh Name).
# dotnet-ef writes the model snapshot next to the project when the output folder is outside it; move it back.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet ef migrations add "$1" --project Server --output-dir ../Migrations/Sqlite --namespace IdentityServer.Migrations.Sqlite
if [ -f Server/IdentityServer/Migrations/Sqlite/ApplicationDbContextModelSnapshot.cs ]; then
  mv -f Server/IdentityServer/Migrations/Sqlite/ApplicationDbContextModelSnapshot.cs Migrations/Sqlite/
  rm -rf Server/IdentityServer
fi
