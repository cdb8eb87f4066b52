#!/bin/sh
# One Postgres login role per AgentLedger service, owning only its own schema (least privilege):
# a service can read and write its tables, never another service's, and cannot create roles.
#
# The password of each role comes from that service's own DATABASE_URL, given here as
# <SERVICE>_DATABASE_URL (postgres://<service>:<password>@host:port/<database>), so the service's
# Secret is the one place it is written. Use URL-safe passwords: `openssl rand -hex 24`.
#
# Runs as a superuser, with libpq's PG* variables (or the postgres image's POSTGRES_USER and
# POSTGRES_DB): from /docker-entrypoint-initdb.d in docker-compose.yml, and as the Job
# postgres-service-roles in k8s/ (the copy in k8s/postgres-roles.yaml must stay identical: the
# deploy-check tests compare them). Idempotent: rerunning it resets the passwords and changes
# nothing else.
#
# Each role also gets CREATE on the database: the migration runner starts with
# `CREATE SCHEMA IF NOT EXISTS <schema>`, which Postgres checks against that privilege even when
# the schema exists. The other schemas stay closed to it (their owners grant nothing).
set -eu

export PGUSER="${PGUSER:-${POSTGRES_USER:-postgres}}"
export PGDATABASE="${PGDATABASE:-${POSTGRES_DB:-$PGUSER}}"
SERVICES="${AGENTLEDGER_DATABASE_SERVICES:-ingestion pricing attribution budgeting inventory}"

until pg_isready -q; do
  echo "waiting for Postgres at ${PGHOST:-the local socket}" >&2
  sleep 2
done

psql -v ON_ERROR_STOP=1 -q -v database="$PGDATABASE" <<'SQL'
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL

for service in $SERVICES; do
  variable="$(echo "$service" | tr '[:lower:]' '[:upper:]')_DATABASE_URL"
  url="$(printenv "$variable" || true)"
  if [ -z "$url" ]; then
    echo "$variable is not set: expected postgres://$service:<password>@host:port/$PGDATABASE" >&2
    exit 1
  fi
  credentials="${url#*://}"
  credentials="${credentials%%@*}"
  user="${credentials%%:*}"
  password="${credentials#*:}"
  if [ "$user" != "$service" ] || [ "$password" = "$credentials" ] || [ -z "$password" ]; then
    echo "$variable must be postgres://$service:<password>@…, with the service's name as its user" >&2
    exit 1
  fi
  psql -v ON_ERROR_STOP=1 -q -v role="$service" -v password="$password" -v database="$PGDATABASE" <<'SQL'
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
GRANT CONNECT, CREATE ON DATABASE :"database" TO :"role";
CREATE SCHEMA IF NOT EXISTS :"role" AUTHORIZATION :"role";
ALTER SCHEMA :"role" OWNER TO :"role";
REVOKE ALL ON SCHEMA :"role" FROM PUBLIC;
-- A database that ran with one shared role: hand the schema's objects to their service.
SELECT format('ALTER TABLE %I.%I OWNER TO %I', n.nspname, c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = :'role' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER SEQUENCE %I.%I OWNER TO %I', n.nspname, c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = :'role' AND c.relkind = 'S'
   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
   AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, :'role')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = :'role' AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER TYPE %I.%I OWNER TO %I', n.nspname, t.typname, :'role')
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = :'role' AND t.typtype IN ('e', 'd') AND t.typowner <> (SELECT oid FROM pg_roles WHERE rolname = :'role') \gexec
SQL
  echo "role $service owns schema $service"
done
