"""The floor for this stack: one request through the same middleware, one indexed SELECT of the
ticket by its secret and one INSERT, in a transaction, answered with a small JSON body. The scan
endpoint is measured against it in the same run (bench/scan_load.py)."""

import json

from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from events.models import Ticket

# The table exists only in the benchmark database (bench/data.py creates it): no app model.
BASELINE_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS bench_baseline_hit "
    "(id bigserial PRIMARY KEY, ticket_id bigint, created_at timestamptz NOT NULL)"
)
BASELINE_INSERT_SQL = "INSERT INTO bench_baseline_hit (ticket_id, created_at) VALUES (%s, now())"


@csrf_exempt
@require_POST
def baseline_scan(request):
    text = json.loads(request.body or b"{}").get("text", "")
    with transaction.atomic():
        ticket_id = Ticket.objects.filter(secret=text).values_list("id", flat=True).first()
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_INSERT_SQL, [ticket_id])
    return JsonResponse({"status": "ok" if ticket_id else "unknown_ticket"})
