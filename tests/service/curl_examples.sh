#!/usr/bin/env bash
# The curl examples of docs/{zh,en}/howto/call-over-http.rst (included from here between the
# markers); tests/service/test_docs_examples.py runs each against a live server:
#   BASE=http://127.0.0.1:8000 CIVILAFFAIRS_KEY=... bash curl_examples.sh assess
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:8000}
cd "$(dirname "$0")/../.."

health() {
# [health]
curl -sS "$BASE/readyz"
# [end health]
}

assess() {
# [assess]
curl -sS -X POST "$BASE/v1/assess?on=2024-08&programs=dibao,marginal&lang=zh" \
  -H "Authorization: Bearer $CIVILAFFAIRS_KEY" \
  -H "Content-Type: application/json" \
  --data-binary @examples/households/beijing-3.json
# [end assess]
}

batch() {
# [batch]
curl -sS -N -X POST "$BASE/v1/assess/batch?on=2024-08" \
  -H "Authorization: Bearer $CIVILAFFAIRS_KEY" \
  -H "Content-Type: application/x-ndjson" \
  --data-binary @examples/households/registry-sample.jsonl
# [end batch]
}

error() {
# [error]
curl -sS -X POST "$BASE/v1/assess?on=2024-08&lang=en" \
  -H "Authorization: Bearer $CIVILAFFAIRS_KEY" \
  -H "Content-Type: application/json" \
  --data-binary '{"id": "X-1", "region": "110105", "residence": "city", "members": []}'
# [end error]
}

validate() {
# [validate]
curl -sS -X POST "$BASE/v1/validate?lang=en" \
  -H "Authorization: Bearer $CIVILAFFAIRS_KEY" \
  -H "Content-Type: application/x-ndjson" \
  --data-binary @examples/households/registry-sample.jsonl
# [end validate]
}

standards() {
# [standards]
curl -sS "$BASE/v1/standards/110105?on=2024-08&key=dibao.standard" \
  -H "Authorization: Bearer $CIVILAFFAIRS_KEY"
# [end standards]
}

check() {
# [check]
curl -sS -X POST "$BASE/v1/checks/children.classify?on=2024-08-01" \
  -H "Authorization: Bearer $CIVILAFFAIRS_KEY" \
  -H "Content-Type: application/json" \
  --data-binary @examples/children/orphans.json
# [end check]
}

programs() {
# [programs]
curl -sS "$BASE/v1/programs" -H "Authorization: Bearer $CIVILAFFAIRS_KEY"
# [end programs]
}

"$1"
