#!/usr/bin/env bash
# Adds an EF Core migration for both providers, from the same model (usage: Migrations/add-migration.sh Name),
# then regenerates the SQLite model compiled ahead of time (Server/Data/CompiledModels/Sqlite).
# dotnet-ef writes the model snapshot next to the project when the output folder is outside it; it is moved back.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  connection="Data Source=design-time.db"
  [ "$provider" = Postgres ] && connection="Host=localhost;Database=design_time"
  IdentityServer__Database__Provider=$provider IdentityServer__Database__ConnectionString="$connection" \
    dotnet ef migrations add "$1" --project Server --output-dir "../Migrations/$provider" --namespace "IdentityServer.Migrations.$provider"
  mv -f "Server/IdentityServer/Migrations/$provider/ApplicationDbContextModelSnapshot.cs" "Migrations/$provider/"
  rm -rf Server/IdentityServer Server/design-time.db
done
# The compiled model is used for SQLite only (DatabaseSetup); EF's assembly attribute would apply it to every provider.
IdentityServer__Database__Provider=Sqlite IdentityServer__Database__ConnectionString="Data Source=design-time.db" \
  dotnet ef dbcontext optimize --project Server --output-dir Data/CompiledModels/Sqlite --namespace IdentityServer.Data.CompiledModels.Sqlite
rm -f Server/Data/CompiledModels/Sqlite/ApplicationDbContextAssemblyAttributes.cs Server/design-time.db
