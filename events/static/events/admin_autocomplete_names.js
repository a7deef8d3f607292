'use strict';
// Django's autocomplete (select2) shows the chosen option in a span with role="textbox" named only
// by its title, which select2 removes while nothing is chosen: a screen reader then hears a field
// without a name. Each such span is named after the field's label and the option chosen, on load,
// on each change, and in the sessions added with "Add another".
{
  const $ = django.jQuery;

  function labelText(select) {
    const label = document.querySelector(`label[for="${select.id}"]`);
    return label ? label.textContent.replace(/[\s:：]+$/, '') : '';
  }

  function nameAutocomplete(select) {
    const shown = document.getElementById(`select2-${select.id}-container`);
    if (!shown) {
      return;
    }
    const chosen = select.selectedIndex >= 0 ? select.options[select.selectedIndex].text : '';
    const name = labelText(select);
    shown.setAttribute('aria-label', chosen ? `${name}: ${chosen}` : name);
  }

  function nameAll(root) {
    root.querySelectorAll('select.admin-autocomplete').forEach(nameAutocomplete);
  }

  // After autocomplete.js has built the select2 boxes (on DOMContentLoaded, and on formset:added).
  window.addEventListener('load', () => nameAll(document));
  // autocomplete.js builds an added row's select2 in its own formset:added listener, which runs
  // after this one (it is loaded later): name the row once all the listeners have run.
  document.addEventListener('formset:added', (event) => setTimeout(() => nameAll(event.target)));
  // select2 announces a choice through jQuery's change event, which native listeners do not get.
  $(document).on('change', 'select.admin-autocomplete', (event) => nameAutocomplete(event.target));
}
