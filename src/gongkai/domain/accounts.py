"""What the audit log records of accounts: sign-ins, registrations, roles, tokens."""

from __future__ import annotations

from gongkai.domain.actions import Action


class AccountAction(Action):
    """Every act the audit log records of accounts, with the label the log shows."""

    LOGIN = "user.login", "登录"
    REGISTER = "user.register", "注册申请人账户"
    STAFF_CREATE = "user.staff_create", "创建工作人员账户"
    ROLES_SET = "user.roles_set", "设置角色"
    TOTP_ENABLE = "user.totp_enable", "开启两步验证"
    TOTP_DISABLE = "user.totp_disable", "关闭两步验证"
    API_TOKEN_CREATE = "api_token.create", "创建接口令牌"
    API_TOKEN_REVOKE = "api_token.revoke", "吊销接口令牌"
