from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.apps.accounts.forms import RateLimitedLoginForm, RegisterForm
from gongkai.apps.accounts.permissions import is_staff_member
from gongkai.apps.accounts.services import user_register


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = RateLimitedLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django adds the request's `site`; the layout's `site` is the portal's identity
        context.pop("site", None)
        context.pop("site_name", None)
        return context

    def get_default_redirect_url(self):
        if is_staff_member(self.request.user):
            return "/backoffice/"
        return "/accounts/me/"


class LogoutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_register(
                username=data["username"],
                password=data["password1"],
                display_name=data["display_name"],
                email=data["email"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            for field, errors in (
                exc.message_dict.items()
                if hasattr(exc, "error_dict")
                else [("password1", exc.messages)]
            ):
                target = field if field in form.fields else None
                if field == "password":
                    target = "password1"
                for error in errors:
                    form.add_error(target, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "注册成功，已为您登录。")
            return redirect("accounts:me")
    return render(request, "accounts/register.html", {"form": form})


def me(request):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    if is_staff_member(request.user):
        return redirect("backoffice:home")
    from gongkai.apps.notifications.selectors import notice_list
    from gongkai.registry import portal_nav

    account_links = [entry for entry in portal_nav if entry.order >= 900]
    return render(
        request,
        "accounts/me.html",
        {"account_links": account_links, "latest_notices": list(notice_list(request.user)[:5])},
    )
