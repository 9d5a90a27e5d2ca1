"""Reply wording corrected (ADR 0090): the 不属于本机关 letter states the reasons and names the
responsible agency only where it can be determined (条例第三十六条第（五）项); the letter to a
request to confirm or re-issue information no longer rests on 第三十九条. Template rows still
holding the previous default wording get the new one; rows an administrator edited are kept."""

from django.db import migrations

# the default wording before this migration, exactly as seeded
PREVIOUS = {
    'not_this_agency': (
        '\u3000\u3000本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}），您申请获取“{申请内容}”。经审查，现答复如'
        '下：\n\u3000\u3000经审查，您申请获取的政府信息不属于本机关负责公开。根据《中华人民共和国政府信息公开条例》第三十六条第（五）项的'
        '规定，告知您该政府信息由{负责机关}负责公开，联系方式：{负责机关联系方式}。{转交说明}{答复意见}\n\u3000\u3000如对本答复不'
        '服，可以自收到本答复之日起六十日内向{复议机关}申请行政复议，或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。'
        '\n\u3000\u3000联系人：{承办人}\u3000联系电话：{联系电话}'
    ),
    'ignored.confirmation': (
        '\u3000\u3000本机关于{收到日期}收到您提出的政府信息公开申请（登记号：{登记号}），您申请获取“{申请内容}”。经审查，现答复如'
        '下：\n\u3000\u3000您的申请系要求本机关确认或者重新出具您已获取的信息，不属于《中华人民共和国政府信息公开条例》所指的政府信息公开'
        '申请，本机关不予处理。{答复意见}\n\u3000\u3000如对本答复不服，可以自收到本答复之日起六十日内向{复议机关}申请行政复议，或者自'
        '收到本答复之日起六个月内依法向人民法院提起行政诉讼。\n\u3000\u3000联系人：{承办人}\u3000联系电话：{联系电话}'
    ),
}


def forward(apps, schema_editor):
    from gongkai.apps.applications.letter_texts import DEFAULT_TEMPLATES

    LetterTemplate = apps.get_model("applications", "LetterTemplate")
    for variant, previous in PREVIOUS.items():
        title, text = DEFAULT_TEMPLATES[("reply", variant)]
        LetterTemplate.objects.filter(kind="reply", variant=variant, body=previous).update(
            body=text
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0009_served_event_label")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
