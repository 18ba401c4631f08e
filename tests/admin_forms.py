"""Reading an admin change form back as the POST data a browser would send."""


def change_form_data(response, **changes):
    """The change form's current values, every inline included, with changes applied."""
    data = {}
    form = response.context["adminform"].form
    _add_form(data, form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for inline_form in formset.forms:
            _add_form(data, inline_form)
    data.update(changes)
    data.setdefault("_continue", "Save and continue editing")
    return data


def _add_form(data, form):
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
