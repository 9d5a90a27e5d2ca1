from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongkai import clock, ratelimit
from gongkai.apps.accounts import services
from gongkai.apps.accounts.forms import RateLimitedLoginForm, RegisterForm, remember_account
from gongkai.apps.accounts.models import User
from gongkai.apps.accounts.permissions import is_staff_member
from gongkai.apps.accounts.services import user_register
from gongkai.apps.audit.middleware import client_ip
from gongkai.apps.notifications.selectors import notice_list
from gongkai.registry import portal_nav

TOTP_PENDING = "accounts_totp_pending"
TOTP_PENDING_SECONDS = 300
TOTP_SETUP = "accounts_totp_setup"
# per address: registrations, password-reset mails
REGISTER_RULE = ratelimit.Rule("register", 10, 3600)
RESET_RULE = ratelimit.Rule("password-reset", 5, 3600)
TOTP_RULE = ratelimit.Rule("totp", 5, 300)


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

    def form_valid(self, form):
        user = form.get_user()
        if user.totp_secret:
            # the password was right; the session is opened only after the second factor
            self.request.session[TOTP_PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_redirect_url(),
                "at": clock.now().timestamp(),
            }
            return redirect("accounts:login_totp")
        response = super().form_valid(form)
        remember_account(self.request, response, user.get_username())
        return response


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码", max_length=10, help_text="验证器（身份验证器应用）中的 6 位数字"
    )


@never_cache
@require_http_methods(["GET", "POST"])
def login_totp(request):
    """The second step of a staff login with TOTP."""
    pending = request.session.get(TOTP_PENDING)
    if not pending or clock.now().timestamp() - pending["at"] > TOTP_PENDING_SECONDS:
        request.session.pop(TOTP_PENDING, None)
        messages.info(request, "请重新输入用户名和密码。")
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit(TOTP_RULE, str(user.pk)).allowed:
            form.add_error(None, f"验证码错误次数过多，请 {TOTP_RULE.minutes} 分钟后重新登录。")
            request.session.pop(TOTP_PENDING, None)
        elif services.totp_verify(user, user.totp_secret, form.cleaned_data["code"]):
            request.session.pop(TOTP_PENDING, None)
            ratelimit.reset(TOTP_RULE, str(user.pk))
            login(request, user, backend=pending["backend"])
            response = redirect(pending["next"] or "/backoffice/")
            remember_account(request, response, user.get_username())
            return response
        else:
            form.add_error("code", "验证码不正确或已使用，请查看验证器中的最新 6 位数字。")
    return render(request, "accounts/login_totp.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    """Staff turn the second factor on (scan the key into an authenticator app) or off."""
    user = request.user
    if not is_staff_member(user):
        return redirect("accounts:me")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if user.totp_secret:
                services.user_totp_disable(actor=user, user=user, code=code)
                messages.success(request, "已关闭两步验证。")
            else:
                secret = request.session.get(TOTP_SETUP, "")
                services.user_totp_enable(actor=user, user=user, secret=secret, code=code)
                request.session.pop(TOTP_SETUP, None)
                messages.success(request, "已开启两步验证：以后登录时须输入验证器中的验证码。")
            return redirect("accounts:totp")
        except ValidationError as exc:
            for error in exc.message_dict.get("code", exc.messages):
                form.add_error("code", error)
    secret = ""
    if not user.totp_secret:
        secret = request.session.get(TOTP_SETUP) or services.totp_new_secret()
        request.session[TOTP_SETUP] = secret
    context = {
        "form": form,
        "enabled": bool(user.totp_secret),
        "secret": secret,
        "uri": services.totp_uri(user, secret) if secret else "",
    }
    return render(request, "accounts/totp.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    """Forgotten password: a link to the account's e-mail address, limited per address."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not ratelimit.hit(RESET_RULE, client_ip(self.request)).allowed:
            form.add_error(None, f"请求过于频繁，请 {RESET_RULE.minutes} 分钟后再试。")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class LogoutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and not ratelimit.hit(REGISTER_RULE, client_ip(request)).allowed:
        form.add_error(None, f"注册过于频繁，请 {REGISTER_RULE.minutes} 分钟后再试。")
        return render(request, "accounts/register.html", {"form": form}, status=429)
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

    account_links = [entry for entry in portal_nav if entry.order >= 900]
    return render(
        request,
        "accounts/me.html",
        {"account_links": account_links, "latest_notices": list(notice_list(request.user)[:5])},
    )
