#!/usr/bin/env bash
# Record, review and audit a county's caseload: the commands of the tutorial, run as written
# from the repository root in an environment with civilaffairs[records] and the bundled
# plugins installed. Everything is written under ./caseload-tutorial.
set -euo pipefail
mkdir -p caseload-tutorial
cd caseload-tutorial

# 1. the keys a deployment supplies (these are examples: never use them for real cases)
export CIVILAFFAIRS_ID_KEY=example-only-key-do-not-use-in-production
export CIVILAFFAIRS_DATABASE_URL=county.sqlite

# 2. assess a household and record the decisions in the ledger
civilaffairs assess ../examples/households/beijing-3.json --on 2024-08 --record \
    --format json --lang en > decisions-2024-08.json

# 3. the caseworker and the approver, and a relative the caseworker declared
civilaffairs records staff W001 --role caseworker --region 110105 --lang en
civilaffairs records staff A001 --role approver --region 110105 --lang en
civilaffairs records assign BJ-110105-000123 --caseworker W001 --approver A001 --lang en
civilaffairs records relative W001 110105198707220242 --relation sibling --lang en

# 4. the month's payments, then the integrity audit of the caseload
civilaffairs records pay --on 2024-08 --lang en
civilaffairs records audit --on 2024-08 --lang en

# 5. a year later the review is due; the household's new snapshot cuts its dibao
civilaffairs records due --on 2025-08 --lang en
civilaffairs records review BJ-110105-000123 ../examples/records/beijing-3-2025-08.json \
    --on 2025-08 --caseworker W001 --approver A001 --date 2025-08-05 --lang en

# 6. the ledger: verify it, sign a checkpoint, prove one decision against it
civilaffairs records verify --lang en
civilaffairs records keygen --out ledger-key.pem --lang en
CIVILAFFAIRS_LEDGER_SIGNING_KEY=ledger-key.pem \
    civilaffairs records checkpoint --out checkpoint-1.json --lang en
civilaffairs records prove 0 --checkpoint checkpoint-1.json --out proof-0.json --lang en
civilaffairs records check-proof proof-0.json --lang en

# 7. someone edits a paid amount behind the library's back; verify names the entry
python - <<'PY'
import sqlite3
db = sqlite3.connect("county.sqlite")
db.execute("UPDATE decisions SET amount_fen = 175000 WHERE program = 'dibao' AND month = '2024-08'")
db.commit()
PY
civilaffairs records verify --lang en || echo "verify exited with $?"
