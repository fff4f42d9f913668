"""The desk's page for its phone apps: its server addresses, a new one shown once with its QR
code, and revoking one. For the desk's documenters and its network's coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.requests import signed_in_user
from amparo.core.security import staff_page
from amparo.network import permissions
from amparo.network.models import Desk
from amparo.openrosa import queries, services
from amparo.openrosa.addresses import address, collect_settings, qr_svg
from amparo.openrosa.views_openrosa import LOGIN_PATH


def _page(request: HttpRequest, desk: Desk, *, new_address: str = "",
          login: tuple[str, str] = ("", "")) -> HttpResponse:
    return render(request, "openrosa/desk.html", {
        "desk": desk, "links": queries.active_links(desk), "new_address": new_address,
        "login_address": address(LOGIN_PATH), "login": login,
        # segno writes the SVGs from the address alone: no text of anyone's is in them.
        "qr": mark_safe(qr_svg(new_address)) if new_address else "",  # noqa: S308
        "qr_collect": mark_safe(qr_svg(collect_settings(new_address))) if new_address else "",  # noqa: S308
    })


@require_http_methods(["GET", "POST"])
@permissions.desk_staff_required
@staff_page
def desk(request: HttpRequest, desk_slug: str) -> HttpResponse:
    """GET: the desk's addresses. POST: a new address, shown on this page once."""
    found = permissions.desk_for_viewer(request.user, desk_slug)
    if request.method == "POST":
        link, token = services.create_link(signed_in_user(request), found)
        return _page(request, found, new_address=address(token), login=(link.username, token))
    return _page(request, found)


@require_POST
@permissions.desk_staff_required
@staff_page
def revoke(request: HttpRequest, desk_slug: str, link_id: int) -> HttpResponse:
    found = permissions.desk_for_viewer(request.user, desk_slug)
    link = get_object_or_404(queries.links(found), pk=link_id)  # revoked again: nothing changes
    services.revoke_link(signed_in_user(request), link)
    messages.success(request, _("The address %(name)s no longer works. Phones that used it need a new one.")
                     % {"name": link.username})
    return redirect("openrosa:desk", desk_slug=found.slug)
