"""The texts every installation starts with (seeded by migration 0002, editable in the admin) and
the fallback when a row is missing. Keys: (purpose, channel, language) -> (subject, body).
SMS texts stay short: Arabic travels as UCS-2 (67 characters per segment once split), so the
Arabic SMS carry the short code rather than the long ticket link where they can."""

SMS, EMAIL = "sms", "email"

DEFAULT_TEMPLATES: dict[tuple[str, str, str], tuple[str, str]] = {
    # Confirmation
    ("confirmation", SMS, "fr"): (
        "",
        "Multaqa: inscription confirmee a {{ event }}. Code {{ short_code }}. Billet: {{ ticket_url }} STOP: {{ opt_out_url }}",
    ),
    ("confirmation", SMS, "ar"): (
        "",
        "ملتقى: تم تسجيلك في {{ event }}. رمزك {{ short_code }} {{ ticket_url }} للإيقاف {{ opt_out_url }}",
    ),
    ("confirmation", SMS, "en"): (
        "",
        "Multaqa: you are registered for {{ event }}. Code {{ short_code }}. Ticket: {{ ticket_url }} STOP: {{ opt_out_url }}",
    ),
    ("confirmation", EMAIL, "fr"): (
        "Votre billet pour {{ event }}",
        "Bonjour {{ name }},\n\nVotre inscription à « {{ event }} » est confirmée.\n"
        "Présentez le code QR ci-dessous à l'entrée, ou donnez votre code : {{ short_code }}.\n\n"
        "Votre billet : {{ ticket_url }}\n\nLes dates sont dans le fichier calendrier joint.\n\n"
        "L'équipe Multaqa\n\nNe plus recevoir de messages : {{ opt_out_url }}",
    ),
    ("confirmation", EMAIL, "ar"): (
        "تذكرتك لـ {{ event }}",
        "مرحبا {{ name }}،\n\nتم تأكيد تسجيلك في «{{ event }}».\n"
        "قدّم رمز QR أدناه عند المدخل، أو أعطِ رمزك: {{ short_code }}.\n\n"
        "تذكرتك: {{ ticket_url }}\n\nالمواعيد موجودة في ملف التقويم المرفق.\n\n"
        "فريق ملتقى\n\nلإيقاف الرسائل: {{ opt_out_url }}",
    ),
    ("confirmation", EMAIL, "en"): (
        "Your ticket for {{ event }}",
        'Hello {{ name }},\n\nYour registration for "{{ event }}" is confirmed.\n'
        "Show the QR code below at the entrance, or give your code: {{ short_code }}.\n\n"
        "Your ticket: {{ ticket_url }}\n\nThe dates are in the attached calendar file.\n\n"
        "The Multaqa team\n\nStop receiving messages: {{ opt_out_url }}",
    ),
    # Reminder
    ("reminder", SMS, "fr"): (
        "",
        "Rappel: {{ event }} le {{ session_date }} a {{ session_time }}, {{ venue }}. Billet: {{ ticket_url }} STOP: {{ opt_out_url }}",
    ),
    ("reminder", SMS, "ar"): (
        "",
        "تذكير: {{ event }} {{ session_date }} {{ session_time }}، {{ venue }}. رمزك {{ short_code }}. للإيقاف {{ opt_out_url }}",
    ),
    ("reminder", SMS, "en"): (
        "",
        "Reminder: {{ event }} on {{ session_date }} at {{ session_time }}, {{ venue }}. Ticket: {{ ticket_url }} STOP: {{ opt_out_url }}",
    ),
    ("reminder", EMAIL, "fr"): (
        "Rappel : {{ event }} le {{ session_date }}",
        "Bonjour {{ name }},\n\nNous vous attendons à « {{ event }} » le {{ session_date }} à {{ session_time }}, "
        "{{ venue }}.\n\nVotre billet : {{ ticket_url }}\n\nL'équipe Multaqa\n\n"
        "Ne plus recevoir de messages : {{ opt_out_url }}",
    ),
    ("reminder", EMAIL, "ar"): (
        "تذكير: {{ event }} يوم {{ session_date }}",
        "مرحبا {{ name }}،\n\nننتظرك في «{{ event }}» يوم {{ session_date }} على الساعة {{ session_time }}، "
        "{{ venue }}.\n\nتذكرتك: {{ ticket_url }}\n\nفريق ملتقى\n\nلإيقاف الرسائل: {{ opt_out_url }}",
    ),
    ("reminder", EMAIL, "en"): (
        "Reminder: {{ event }} on {{ session_date }}",
        'Hello {{ name }},\n\nWe look forward to seeing you at "{{ event }}" on {{ session_date }} at '
        "{{ session_time }}, {{ venue }}.\n\nYour ticket: {{ ticket_url }}\n\nThe Multaqa team\n\n"
        "Stop receiving messages: {{ opt_out_url }}",
    ),
    # Change notice
    ("rescheduled", SMS, "fr"): (
        "",
        "Changement: {{ event }} aura lieu le {{ session_date }} a {{ session_time }}, {{ venue }}. Billet: {{ ticket_url }}",
    ),
    ("rescheduled", SMS, "ar"): (
        "",
        "تغيير: {{ event }} أصبح يوم {{ session_date }} {{ session_time }}، {{ venue }}. تذكرتك صالحة، رمزك {{ short_code }}.",
    ),
    ("rescheduled", SMS, "en"): (
        "",
        "Change: {{ event }} now takes place on {{ session_date }} at {{ session_time }}, {{ venue }}. Ticket: {{ ticket_url }}",
    ),
    ("rescheduled", EMAIL, "fr"): (
        "Changement d'horaire : {{ event }}",
        "Bonjour {{ name }},\n\n« {{ event }} » change d'horaire : rendez-vous le {{ session_date }} à "
        "{{ session_time }}, {{ venue }}.\nVotre billet reste valable : {{ ticket_url }}\n\n"
        "L'équipe Multaqa\n\nNe plus recevoir de messages : {{ opt_out_url }}",
    ),
    ("rescheduled", EMAIL, "ar"): (
        "تغيير في الموعد: {{ event }}",
        "مرحبا {{ name }}،\n\nتغيّر موعد «{{ event }}»: الموعد الجديد يوم {{ session_date }} على الساعة "
        "{{ session_time }}، {{ venue }}.\nتذكرتك ما زالت صالحة: {{ ticket_url }}\n\n"
        "فريق ملتقى\n\nلإيقاف الرسائل: {{ opt_out_url }}",
    ),
    ("rescheduled", EMAIL, "en"): (
        "New time for {{ event }}",
        'Hello {{ name }},\n\n"{{ event }}" has moved: it now takes place on {{ session_date }} at '
        "{{ session_time }}, {{ venue }}.\nYour ticket is still valid: {{ ticket_url }}\n\n"
        "The Multaqa team\n\nStop receiving messages: {{ opt_out_url }}",
    ),
    # Cancellation notice
    ("cancellation", SMS, "fr"): (
        "",
        "Multaqa: {{ event }} est annule. Nous sommes desoles. Nous vous informerons des prochaines activites.",
    ),
    ("cancellation", SMS, "ar"): (
        "",
        "ملتقى: تم إلغاء {{ event }}. نعتذر منكم وسنخبركم بالأنشطة القادمة.",
    ),
    ("cancellation", SMS, "en"): (
        "",
        "Multaqa: {{ event }} is cancelled. We are sorry. We will tell you about future activities.",
    ),
    ("cancellation", EMAIL, "fr"): (
        "Annulation : {{ event }}",
        "Bonjour {{ name }},\n\nNous sommes désolés : « {{ event }} » est annulé. Votre billet n'est plus valable.\n"
        "Nous vous informerons des prochaines activités.\n\nL'équipe Multaqa\n\n"
        "Ne plus recevoir de messages : {{ opt_out_url }}",
    ),
    ("cancellation", EMAIL, "ar"): (
        "إلغاء: {{ event }}",
        "مرحبا {{ name }}،\n\nنعتذر منكم: تم إلغاء «{{ event }}» ولم تعد تذكرتك صالحة.\n"
        "سنخبركم بالأنشطة القادمة.\n\nفريق ملتقى\n\nلإيقاف الرسائل: {{ opt_out_url }}",
    ),
    ("cancellation", EMAIL, "en"): (
        "Cancelled: {{ event }}",
        'Hello {{ name }},\n\nWe are sorry: "{{ event }}" is cancelled and your ticket is no longer valid.\n'
        "We will tell you about future activities.\n\nThe Multaqa team\n\n"
        "Stop receiving messages: {{ opt_out_url }}",
    ),
    # Thank-you with feedback
    ("thank_you", SMS, "fr"): (
        "",
        "Merci d'etre venu(e) a {{ event }}! 3 questions, anonyme: {{ feedback_url }}",
    ),
    ("thank_you", SMS, "ar"): (
        "",
        "شكرا لحضوركم {{ event }}! 3 أسئلة بدون اسم: {{ feedback_url }}",
    ),
    ("thank_you", SMS, "en"): (
        "",
        "Thank you for coming to {{ event }}! 3 anonymous questions: {{ feedback_url }}",
    ),
    ("thank_you", EMAIL, "fr"): (
        "Merci d'être venu(e) à {{ event }}",
        "Bonjour {{ name }},\n\nMerci d'avoir participé à « {{ event }} ».\n"
        "Aidez-nous à faire mieux : trois questions, réponse anonyme, moins d'une minute.\n"
        "{{ feedback_url }}\n\nL'équipe Multaqa\n\nNe plus recevoir de messages : {{ opt_out_url }}",
    ),
    ("thank_you", EMAIL, "ar"): (
        "شكرا لحضوركم {{ event }}",
        "مرحبا {{ name }}،\n\nشكرا لمشاركتكم في «{{ event }}».\n"
        "ساعدونا على التحسن: ثلاثة أسئلة، دون ذكر الاسم، أقل من دقيقة.\n"
        "{{ feedback_url }}\n\nفريق ملتقى\n\nلإيقاف الرسائل: {{ opt_out_url }}",
    ),
    ("thank_you", EMAIL, "en"): (
        "Thank you for coming to {{ event }}",
        'Hello {{ name }},\n\nThank you for taking part in "{{ event }}".\n'
        "Help us do better: three questions, anonymous, less than a minute.\n"
        "{{ feedback_url }}\n\nThe Multaqa team\n\nStop receiving messages: {{ opt_out_url }}",
    ),
    # Sorry we missed you
    ("missed_you", SMS, "fr"): (
        "",
        "Multaqa: vous n'avez pas pu venir a {{ event }}. Nous esperons vous voir a la prochaine activite!",
    ),
    ("missed_you", SMS, "ar"): (
        "",
        "ملتقى: افتقدناكم في {{ event }}. نتمنى رؤيتكم في النشاط القادم!",
    ),
    ("missed_you", SMS, "en"): (
        "",
        "Multaqa: we missed you at {{ event }}. We hope to see you at the next activity!",
    ),
    ("missed_you", EMAIL, "fr"): (
        "Vous nous avez manqué à {{ event }}",
        "Bonjour {{ name }},\n\nVous n'avez pas pu venir à « {{ event }} » : ce n'est que partie remise.\n"
        "Nous espérons vous voir à la prochaine activité.\n\nL'équipe Multaqa\n\n"
        "Ne plus recevoir de messages : {{ opt_out_url }}",
    ),
    ("missed_you", EMAIL, "ar"): (
        "افتقدناكم في {{ event }}",
        "مرحبا {{ name }}،\n\nلم تتمكنوا من حضور «{{ event }}»، ونأمل أن نراكم في النشاط القادم.\n\n"
        "فريق ملتقى\n\nلإيقاف الرسائل: {{ opt_out_url }}",
    ),
    ("missed_you", EMAIL, "en"): (
        "We missed you at {{ event }}",
        'Hello {{ name }},\n\nYou could not come to "{{ event }}": we hope to see you at the next activity.\n\n'
        "The Multaqa team\n\nStop receiving messages: {{ opt_out_url }}",
    ),
    # Forum summary for a partner contact (e-mail only; the PDF is attached at send time).
    # Variables: name, organization, event, version, recommendation_count, own_count,
    # partner_url, opt_out_url.
    ("forum_summary", EMAIL, "fr"): (
        "Synthèse du forum {{ event }}{% if version > 1 %} (version {{ version }}){% endif %}",
        "Bonjour {{ name }},\n\nVeuillez trouver ci-joint la synthèse du forum « {{ event }} » "
        "pour {{ organization }} : {{ recommendation_count }} recommandation(s) adoptée(s)"
        "{% if own_count %}, dont {{ own_count }} adressée(s) à votre institution, présentée(s) en "
        "premier{% endif %}.\n\nVotre espace partenaire (synthèses et PDF) : {{ partner_url }}\n\n"
        "Les chiffres de participation sont agrégés : aucune donnée personnelle des participants "
        "n'y figure.\n\nL'équipe Multaqa\n\nNe plus recevoir de messages : {{ opt_out_url }}",
    ),
    ("forum_summary", EMAIL, "ar"): (
        "خلاصة المنتدى {{ event }}{% if version > 1 %} (النسخة {{ version }}){% endif %}",
        "مرحبا {{ name }}،\n\nتجدون مرفقا خلاصة المنتدى «{{ event }}» الخاصة بـ {{ organization }}: "
        "عدد التوصيات المعتمدة {{ recommendation_count }}{% if own_count %}، وعدد الموجهة منها إلى "
        "مؤسستكم {{ own_count }} وتظهر في البداية{% endif %}.\n\nفضاء الشركاء (الخلاصات وملفات PDF): {{ partner_url }}\n\n"
        "أرقام الحضور إجمالية ولا تتضمن أي معطيات شخصية عن المشاركين.\n\n"
        "فريق ملتقى\n\nلإيقاف الرسائل: {{ opt_out_url }}",
    ),
    ("forum_summary", EMAIL, "en"): (
        "Summary of the forum {{ event }}{% if version > 1 %} (version {{ version }}){% endif %}",
        'Hello {{ name }},\n\nPlease find attached the summary of the forum "{{ event }}" for '
        "{{ organization }}: {{ recommendation_count }} adopted recommendation(s)"
        "{% if own_count %}, {{ own_count }} of them addressed to your institution and listed "
        "first{% endif %}.\n\nYour partner page (summaries and PDFs): {{ partner_url }}\n\n"
        "Attendance figures are aggregates: no participant's personal data is included.\n\n"
        "The Multaqa team\n\nStop receiving messages: {{ opt_out_url }}",
    ),
    # Participant card: the link to the card page, never the person's name (a forwarded or
    # overheard message names no one).
    ("participant_card", SMS, "fr"): (
        "",
        "Multaqa: votre carte de participant {{ card_url }} Code {{ short_code }} STOP: {{ opt_out_url }}",
    ),
    ("participant_card", SMS, "ar"): (
        "",
        "ملتقى: بطاقتك {{ card_url }} رمزك {{ short_code }} للإيقاف {{ opt_out_url }}",
    ),
    ("participant_card", SMS, "en"): (
        "",
        "Multaqa: your participant card {{ card_url }} Code {{ short_code }} STOP: {{ opt_out_url }}",
    ),
    ("participant_card", EMAIL, "fr"): (
        "Votre carte de participant",
        "Bonjour,\n\nVoici votre carte de participant : {{ card_url }}\n"
        "Présentez son code QR à l'entrée des événements, ou donnez votre code : {{ short_code }}.\n\n"
        "L'équipe Multaqa\n\nNe plus recevoir de messages : {{ opt_out_url }}",
    ),
    ("participant_card", EMAIL, "ar"): (
        "بطاقة المشارك(ة) الخاصة بك",
        "مرحبا،\n\nهذه بطاقتك: {{ card_url }}\n"
        "قدّم رمز QR عند مدخل الفعاليات، أو أعطِ رمزك: {{ short_code }}.\n\n"
        "فريق ملتقى\n\nلإيقاف الرسائل: {{ opt_out_url }}",
    ),
    ("participant_card", EMAIL, "en"): (
        "Your participant card",
        "Hello,\n\nHere is your participant card: {{ card_url }}\n"
        "Show its QR code at the entrance of events, or give your code: {{ short_code }}.\n\n"
        "The Multaqa team\n\nStop receiving messages: {{ opt_out_url }}",
    ),
}
