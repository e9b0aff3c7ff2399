import pytest

from core.models import SiteIdentity

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'

# A logo as an editor might upload it, with everything a hostile one could hide in it.
HOSTILE_SVG = f"""<?xml version="1.0" encoding="UTF-8"?>
<svg {SVG_NS} xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 200 50" onload="alert('load')">
  <script>alert("script")</script>
  <script xlink:href="https://evil.example/x.js"/>
  <title>Daily Lens</title>
  <a xlink:href="javascript:alert('link')"><text x="10" y="30" onclick="alert('click')">Daily Lens</text></a>
  <use xlink:href="https://evil.example/sprite.svg#logo"/>
  <use href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/>
  <image href="https://evil.example/tracker.png" width="1" height="1"/>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
  <animate attributeName="href" to="javascript:alert('animate')"/>
  <set attributeName="onmouseover" to="alert('set')"/>
  <style>@import url("https://evil.example/x.css"); .a {{ fill: #123456 }}</style>
  <rect id="box" width="20" height="20" fill="url(https://evil.example/paint)"
    style="background: url(//evil.example/b)"/>
  <circle class="a" cx="5" cy="5" r="4" fill="url(#grad)"/>
  <use xlink:href="#box" x="30"/>
  <linearGradient id="grad"><stop offset="0" stop-color="#a3121b"/></linearGradient>
</svg>
"""

ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&d;</text></svg>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&secret;</text></svg>
"""

PLAIN_SVG = f'<svg {SVG_NS} viewBox="0 0 160 40"><rect width="160" height="40" fill="#a3121b"/></svg>'


@pytest.fixture
def identity(site):
    def set_identity(**fields) -> SiteIdentity:
        setting, _ = SiteIdentity.objects.update_or_create(site=site, defaults=fields)
        return setting

    return set_identity
