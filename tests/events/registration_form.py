"""The public registration form's POST data: one adult contact by default, fields overridden by
name (`contact-phone`...), members added as formset rows."""


def form_data(**overrides):
    data = {
        "contact-first_name": "Aminata",
        "contact-gender": "female",
        "contact-age_band": "25-59",
        "contact-profile": "migrant",
        "contact-kind": "individual",
        "contact-phone": "06 12 34 56 78",
        "contact-email": "",
        "contact-language": "fr",
        "contact-consent_register": "on",
        "contact-website": "",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "register": "1",
    }
    data.update(overrides)
    return data


def with_members(data, *members):
    data["members-TOTAL_FORMS"] = str(len(members))
    for index, member in enumerate(members):
        for key, value in member.items():
            data[f"members-{index}-{key}"] = value
    return data
