"""Every agency has an audit chain (ADR 0083): open one for each agency that has none yet, the
same way a new agency's chain is opened."""

from django.db import migrations

from gongkai import clock


def open_chains(apps, schema_editor):
    from gongkai.apps.audit.hashing import (
        GENESIS,
        canonical_json,
        event_digest,
        event_digest_sm3,
    )

    Agency = apps.get_model("organizations", "Agency")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    have = set(AuditChainHead.objects.values_list("chain", flat=True))
    for pk in Agency.objects.order_by("pk").values_list("pk", flat=True):
        chain = f"agency:{pk}"
        if chain in have:
            continue
        fields = {
            "chain": chain,
            "seq": 1,
            "created_at": clock.now(),
            "actor_id": None,
            "actor_label": "系统",
            "agency_id": pk,
            "action": "audit.chain_open",
            "object_type": "organizations.agency",
            "object_id": str(pk),
            "object_label": f"机关 #{pk}",
            "before": "",
            "after": "",
            "context": canonical_json({}),
        }
        digest = event_digest(fields, GENESIS)
        digest_sm3 = event_digest_sm3(fields, GENESIS)
        AuditEvent.objects.create(prev_hash=GENESIS, hash=digest, hash_sm3=digest_sm3, **fields)
        AuditChainHead.objects.create(chain=chain, seq=1, hash=digest, hash_sm3=digest_sm3)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_sm3_and_published_heads"),
        ("organizations", "0001_initial"),
    ]

    operations = [migrations.RunPython(open_chains, migrations.RunPython.noop)]
