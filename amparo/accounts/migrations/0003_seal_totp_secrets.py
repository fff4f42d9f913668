"""TOTP secrets move behind the vault's service key: each stored secret is sealed into
`sealed_secret`, then the clear column goes. Backwards opens them again.

The sealing goes through `accounts.policy` (set by the vault app at start-up), so this
migration imports nothing above accounts."""

from django.db import migrations, models

LABEL = "accounts.second_factor.secret"  # noqa: S105 - a label, not a secret


def seal(apps, schema_editor):
    from amparo.accounts import policy

    SecondFactor = apps.get_model("accounts", "SecondFactor")
    for factor in SecondFactor.objects.all():
        factor.sealed_secret = policy.seal_secret(factor.secret, LABEL)
        factor.save(update_fields=["sealed_secret"])


def unseal(apps, schema_editor):
    from amparo.accounts import policy

    SecondFactor = apps.get_model("accounts", "SecondFactor")
    for factor in SecondFactor.objects.all():
        factor.secret = policy.open_secret(bytes(factor.sealed_secret), LABEL)
        factor.save(update_fields=["secret"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_apitoken_recoverycode_secondfactor_usersession"),
    ]

    operations = [
        migrations.AddField("secondfactor", "sealed_secret", models.BinaryField(null=True)),
        # Nullable while both exist, so that going back can re-add the column before filling it.
        migrations.AlterField("secondfactor", "secret", models.CharField(max_length=64, null=True)),
        migrations.RunPython(seal, unseal),
        migrations.RemoveField("secondfactor", "secret"),
        migrations.AlterField("secondfactor", "sealed_secret", models.BinaryField()),
    ]
