"""Factories and the one scenario builder (``make_world``) the whole suite uses."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import factory

from gongkai.apps.accounts.models import Role, RoleGrant, User
from gongkai.apps.organizations.models import Agency, AgencyKind, AgencyLevel
from gongkai.domain.codes import make_uscc

_seq = itertools.count(1)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"ag{n}")
    name = factory.Sequence(lambda n: f"测试市第{n}局")
    short_name = factory.Sequence(lambda n: f"第{n}局")
    kind = AgencyKind.DEPARTMENT
    level = AgencyLevel.CITY
    region_code = "139900"
    uscc = factory.Sequence(lambda n: make_uscc("1", "1", "139900", f"{50000000 + n:08d}"))
    office_name = factory.LazyAttribute(lambda o: f"{o.name}办公室")
    office_address = "测试市人民路1号"
    office_hours = "工作日 9:00—17:00"
    office_phone = "0399-8000000"
    office_email = "gk@example.gov.cn"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.save()
            for role in extracted or []:
                RoleGrant.objects.create(user=self, role=role)
            self.__dict__.pop("role_set", None)


def make_staff(agency: Agency | None, *roles: str, **kwargs: Any) -> User:
    return UserFactory(agency=agency, roles=list(roles), **kwargs)


@dataclass
class World:
    """A small city: government, two departments, a county; staff in every role; applicants."""

    city: Agency
    dept_a: Agency
    dept_b: Agency
    county: Agency
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def make_world() -> World:
    city = AgencyFactory(
        code="city", name="测试市人民政府", short_name="测试市政府", kind=AgencyKind.GOVERNMENT
    )
    dept_a = AgencyFactory(
        code="depta", name="测试市交通运输局", short_name="市交通局", parent=city
    )
    dept_b = AgencyFactory(code="deptb", name="测试市教育局", short_name="市教育局", parent=city)
    county = AgencyFactory(
        code="county",
        name="测试市东城区人民政府",
        short_name="东城区",
        kind=AgencyKind.GOVERNMENT,
        level=AgencyLevel.COUNTY,
        parent=city,
    )
    world = World(city=city, dept_a=dept_a, dept_b=dept_b, county=county)
    world.users.update(
        officer_a=make_staff(dept_a, Role.OFFICER, username="officer_a"),
        reviewer_a=make_staff(dept_a, Role.REVIEWER, username="reviewer_a"),
        head_a=make_staff(dept_a, Role.HEAD, username="head_a"),
        norole_a=make_staff(dept_a, username="norole_a"),
        officer_b=make_staff(dept_b, Role.OFFICER, username="officer_b"),
        reviewer_b=make_staff(dept_b, Role.REVIEWER, username="reviewer_b"),
        head_b=make_staff(dept_b, Role.HEAD, username="head_b"),
        supervisor=make_staff(city, Role.SUPERVISOR, username="supervisor"),
        admin=make_staff(city, Role.ADMIN, username="sysadmin"),
        applicant=UserFactory(username="applicant", display_name="张三"),
        other_applicant=UserFactory(username="other_applicant", display_name="李四"),
    )
    return world
