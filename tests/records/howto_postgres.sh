#!/bin/sh
# The commands of docs/*/howto/records-on-postgresql.rst, run by
# tests/records/test_howto_postgres.py against the test server. Usage:
#   howto_postgres.sh POSTGRESQL_URL HOUSEHOLDS_FILE
# The sections between "# [name]" and "# [/name]" are shown in the how-to.
set -eu
DATABASE="$1"
HOUSEHOLDS="$2"

# [keys]
# the pseudonym key: the same secret for every system that matches people by pseudonym
export CIVILAFFAIRS_ID_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')"
# the checkpoint signing key (Ed25519): keep the .pem secret, publish the .pub
civilaffairs records keygen --out ledger-key.pem
export CIVILAFFAIRS_LEDGER_SIGNING_KEY="$PWD/ledger-key.pem"
# [/keys]

# [database]
export CIVILAFFAIRS_DATABASE_URL="$DATABASE"
# [/database]

# [record]
civilaffairs assess "$HOUSEHOLDS" --on 2024-08 --record --format json > decisions.json
civilaffairs records verify --lang en
civilaffairs records checkpoint --out checkpoint-2024-08.json --lang en
# [/record]

# [query]
psql "$DATABASE" --no-psqlrc --quiet --tuples-only --no-align --field-separator ' ' <<'SQL'
SELECT d.program, count(*), sum(d.amount_fen)
  FROM decisions d
 WHERE d.month = '2024-08' AND d.eligible
 GROUP BY d.program ORDER BY d.program;
SELECT s.key, s.value, s.plugin, count(*)
  FROM decision_standards s JOIN decisions d ON d.id = s.decision_id
 WHERE d.program = 'dibao'
 GROUP BY s.key, s.value, s.plugin;
SELECT count(*) FROM decisions WHERE document -> 'conditions' @> '[{"id": "income_below_standard", "passed": true}]';
SELECT d.versions ->> 'civilaffairs' AS version, count(*) FROM decisions d GROUP BY 1;
SQL
# [/query]

# [daily]
# a month later, more decisions recorded …
civilaffairs assess "$HOUSEHOLDS" --on 2024-09 --record > /dev/null
# … verify against the checkpoint published before, publish a new one, prove it extends it
civilaffairs records verify --checkpoint checkpoint-2024-08.json --lang en
civilaffairs records checkpoint --out checkpoint-2024-09.json --lang en
civilaffairs records consistency checkpoint-2024-08.json checkpoint-2024-09.json \
    --out consistency.json --lang en
civilaffairs records check-proof consistency.json --lang en
# [/daily]

# [backup]
pg_dump --format=custom --file=records.dump "$DATABASE"
# [/backup]
