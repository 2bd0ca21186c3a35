{# The PDF's cover page (print-site plugin: `config` is the MkDocs config, extra.kit set by handbook/kit/hooks.py). #}
<div class="kit-cover">
  <h1>{{ config.site_name }}</h1>
  {% if config.site_description %}<p class="kit-cover__description">{{ config.site_description }}</p>{% endif %}
  <table>
    <tr><td>Version</td><td>{{ config.extra.kit.version }}</td></tr>
    <tr><td>Date</td><td>{{ config.extra.kit.date }}</td></tr>
    <tr><td>Source</td><td><code>{{ config.extra.kit.commit }}</code></td></tr>
  </table>
  <p class="kit-cover__note">Offline IR kit: links to AWS documentation, marked with an arrow, need a network.</p>
</div>
