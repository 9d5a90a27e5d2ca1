#!/usr/bin/env python3
"""Two-server rehearsal: the platform as a city runs it, on 127.0.0.1 (`make rehearsal`, CI).

PostgreSQL, Redis and RabbitMQ as the machine runs them; an S3-compatible object store
(moto's server); two app servers (`gongkai serve`) with their own data directories and search
indexes; two workers and the scheduler; nginx (Debian) in front. Then, as users would:

1. upload a legacy catalogue export through server A; kill -9 the worker importing it in the
   middle; the other worker finishes the job; the documents are then found through server B;
2. upload an attachment through server A and download it through server B;
3. the scheduler's heartbeat reaches /healthz of both servers, and /metrics sums up;
4. 20 failed logins from 20 different client addresses (X-Forwarded-For from the load
   balancer) through nginx, after which another user still logs in.

Environment: REHEARSAL_DB (gongkai_rehearsal), REHEARSAL_REDIS_DB (14), REHEARSAL_VHOST
(gongkai_rehearsal), REHEARSAL_PORT (8200: nginx; +1 A, +2 B, +3 S3). Exit 0 when every step
passed; the logs of every process are left in the printed directory when one failed.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB = os.environ.get("REHEARSAL_DB", "gongkai_rehearsal")
REDIS_DB = os.environ.get("REHEARSAL_REDIS_DB", "14")
VHOST = os.environ.get("REHEARSAL_VHOST", "gongkai_rehearsal")
PORT = int(os.environ.get("REHEARSAL_PORT", "8200"))
NGINX, PORT_A, PORT_B, PORT_S3 = PORT, PORT + 1, PORT + 2, PORT + 3
PASSWORD = "rehearsal-" + secrets.token_hex(6)
SECRET_KEY = secrets.token_urlsafe(50)  # one for every server, as in a real deployment
ROWS = int(os.environ.get("REHEARSAL_ROWS", "300"))
WORD = "演练" + uuid.uuid4().hex[:6]  # a word no other document has

started = time.monotonic()
processes: list[tuple[str, subprocess.Popen]] = []


def say(text: str) -> None:
    print(f"[{time.monotonic() - started:6.1f}s] {text}", flush=True)


class Failed(Exception):
    pass


def check(condition: bool, text: str) -> None:
    if not condition:
        raise Failed(text)
    say(f"通过：{text}")


# ── services ───────────────────────────────────────────────────────────────────────────────


def run(argv: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(argv, check=True, text=True, capture_output=True, **kw)


def services_up() -> None:
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode != 0:
        run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                os.listdir("/etc/postgresql")[0],
                "main",
                "start",
            ]
        )
    if subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True).returncode:
        run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
            ]
        )
    if subprocess.run(["rabbitmqctl", "-q", "status"], capture_output=True).returncode:
        subprocess.run(["rabbitmq-server", "-detached"], check=False)
        for _ in range(60):
            if subprocess.run(["rabbitmqctl", "-q", "status"], capture_output=True).returncode == 0:
                break
            time.sleep(1)
    for _ in range(30):
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
            break
        time.sleep(1)


def fresh_state() -> None:
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]
    run([*psql, "-c", f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'])
    run([*psql, "-c", f'CREATE DATABASE "{DB}"'])
    run(["redis-cli", "-h", "127.0.0.1", "-n", REDIS_DB, "FLUSHDB"])
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", VHOST], capture_output=True)
    run(["rabbitmqctl", "-q", "add_vhost", VHOST])
    run(["rabbitmqctl", "-q", "set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*"])


# ── the platform ───────────────────────────────────────────────────────────────────────────


def base_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "PYTEST_"))}
    env.update(
        GONGKAI_ENV="production",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=",".join(f"http://127.0.0.1:{p}" for p in (NGINX, PORT_A, PORT_B)),
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
        REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
        GONGKAI_BROKER_URL=f"amqp://guest:guest@127.0.0.1:5672/{VHOST}",
        GONGKAI_STORAGE="s3",
        GONGKAI_S3_BUCKET="gongkai",
        GONGKAI_S3_ENDPOINT_URL=f"http://127.0.0.1:{PORT_S3}",
        GONGKAI_S3_ACCESS_KEY="rehearsal",
        GONGKAI_S3_SECRET_KEY="rehearsal",
        GONGKAI_TRUSTED_PROXIES="127.0.0.1",
        GONGKAI_DATA_DIR=str(work / "shared"),
        GONGKAI_LOG_FORMAT="json",
        LOG_LEVEL="INFO",
    )
    return env


def node_env(work: Path, name: str) -> dict[str, str]:
    env = base_env(work)
    env.update(GONGKAI_DATA_DIR=str(work / name), GONGKAI_NODE_NAME=name)
    return env


def start(name: str, argv: list[str], env: dict[str, str], logs: Path) -> subprocess.Popen:
    log = open(logs / f"{name}.log", "ab")  # noqa: SIM115  (kept open for the process)
    process = subprocess.Popen(
        argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT
    )
    processes.append((name, process))
    return process


def stop_all() -> None:
    for _name, process in reversed(processes):
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
    deadline = time.monotonic() + 15
    for _name, process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def gongkai(*args: str, env: dict[str, str], stdin: str | None = None) -> str:
    return run([str(BIN / "gongkai"), *args], env=env, input=stdin, cwd=ROOT).stdout


SETUP = """
from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.organizations.services import agency_create
from gongkai.domain.codes import make_uscc
agency_create(actor=SYSTEM, code="jtj", name="演练市交通运输局", short_name="交通局",
    uscc=make_uscc("1", "1", "999999", "12345678"),
    kind="department", level="city", office_name="演练市交通运输局办公室",
    office_address="演练市人民路1号", office_hours="工作日 9:00-17:00", office_phone="0000-12345678")
"""


def nginx_conf(work: Path) -> Path:
    conf = work / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/logs/nginx-error.log warn;
daemon off;
user root;
events {{ worker_connections 256; }}
http {{
  access_log {work}/logs/nginx-access.log;
  client_body_temp_path {work}/nginx-tmp/body;
  proxy_temp_path {work}/nginx-tmp/proxy;
  fastcgi_temp_path {work}/nginx-tmp/fastcgi;
  uwsgi_temp_path {work}/nginx-tmp/uwsgi;
  scgi_temp_path {work}/nginx-tmp/scgi;
  upstream gongkai {{
    server 127.0.0.1:{PORT_A} max_fails=2 fail_timeout=5s;
    server 127.0.0.1:{PORT_B} max_fails=2 fail_timeout=5s;
  }}
  server {{
    listen 127.0.0.1:{NGINX};
    client_max_body_size 25m;
    location / {{
      proxy_pass http://gongkai;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-ID $request_id;
      proxy_read_timeout 75s;
      proxy_next_upstream error timeout http_502 http_503;
    }}
  }}
}}
""",
        encoding="utf-8",
    )
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
    return conf


# ── a browser, small ───────────────────────────────────────────────────────────────────────


class Browser:
    """Cookies by name, whatever their Secure flag (the rehearsal speaks plain HTTP)."""

    def __init__(self, port: int, forwarded_for: str = "") -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.forwarded_for = forwarded_for

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            sent["X-Forwarded-For"] = self.forwarded_for
        if method == "POST":
            sent.setdefault("Referer", f"http://127.0.0.1:{self.port}{path}")
            sent.setdefault("Origin", f"http://127.0.0.1:{self.port}")
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path)

    def csrf(self, path: str) -> str:
        status, _h, body = self.get(path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or match is None:
            raise Failed(f"{path} 没有表单（{status}）")
        return match.group(1).decode()

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        token = self.csrf(path)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_multipart(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> tuple[int, dict[str, str], bytes]:
        token = self.csrf(path)
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in {"csrfmiddlewaretoken": token, **fields}.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content) in files.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            )
            out.write(content + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            out.getvalue(),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )

    def login(self, username: str, password: str) -> int:
        status, _headers, page = self.post_form(
            "/accounts/login/", {"username": username, "password": password}
        )
        self.last_page = page
        return status


def wait_for(what: str, probe, seconds: float, every: float = 0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = probe()
        except (OSError, http.client.HTTPException):
            value = None
        if value:
            return value
        time.sleep(every)
    raise Failed(f"{seconds:.0f} 秒内未等到：{what}")


def db(sql: str, *params):
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DB}", autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


# ── the rehearsal ──────────────────────────────────────────────────────────────────────────


def rehearse(work: Path, logs: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    env = base_env(work)
    start("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(PORT_S3)], env, logs)
    wait_for("S3", lambda: Browser(PORT_S3).get("/")[0] in (200, 403, 404), 30)
    import boto3

    boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{PORT_S3}",
        aws_access_key_id="rehearsal",
        aws_secret_access_key="rehearsal",
        region_name="us-east-1",
    ).create_bucket(Bucket="gongkai")
    gongkai("migrate", "--verbosity", "0", env=env)
    gongkai("shell", "-c", SETUP, env=env)
    gongkai(
        "createstaff",
        "--username",
        "officer",
        "--agency",
        "jtj",
        "--role",
        "officer",
        "--role",
        "reviewer",
        "--role",
        "head",
        "--password-stdin",
        env=env,
        stdin=PASSWORD + "\n",
    )
    gongkai(
        "createstaff",
        "--username",
        "colleague",
        "--agency",
        "jtj",
        "--role",
        "officer",
        "--password-stdin",
        env=env,
        stdin=PASSWORD + "\n",
    )
    say("数据库、缓存、消息队列和对象存储已就绪")

    for name, port in (("a", PORT_A), ("b", PORT_B)):
        start(
            f"server-{name}",
            [str(BIN / "gongkai"), "serve", "--port", str(port), "--workers", "2"],
            node_env(work, name),
            logs,
        )
    for name in ("w1", "w2"):
        start(
            f"worker-{name}",
            [str(BIN / "gongkai"), "worker", "--concurrency", "1", "--name", f"{name}@rehearsal"],
            node_env(work, name),
            logs,
        )
    start("scheduler", [str(BIN / "gongkai"), "scheduler"], node_env(work, "scheduler"), logs)
    start("nginx", ["nginx", "-c", str(nginx_conf(work)), "-p", str(work)], env, logs)
    for port in (PORT_A, PORT_B, NGINX):
        wait_for(f"127.0.0.1:{port} 应答", lambda port=port: Browser(port).get("/")[0] == 200, 90)
    say("两台服务器、两个后台任务进程、定时任务进程和 nginx 已启动")

    # 1. an import uploaded through A, its worker killed, finished by the other worker
    a, b = Browser(PORT_A), Browser(PORT_B)
    check(a.login("officer", PASSWORD) == 302, "在服务器 A 登录")
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["原编号", "标题", "成文日期", "发布日期", "正文"])
    for n in range(ROWS):
        title = (
            f"关于{WORD}第{n}号道路养护计划的通知"
            if n % 100 == 0
            else f"关于第{n}号道路养护计划的通知"
        )
        writer.writerow(
            [f"R{n}", title, "2026-03-01", "2026-03-02 09:00", f"<p>第{n}号养护计划正文。</p>" * 20]
        )
    status, _headers, _ = a.post_multipart(
        "/backoffice/catalog/imports/",
        {},
        {"file": ("旧系统导出.csv", rows.getvalue().encode("utf-8"))},
    )
    check(status == 302, "在服务器 A 上传旧系统导出文件，导入交给后台任务")
    job_id, worker = wait_for(
        "导入任务开始",
        lambda: (
            (
                r := db(
                    "SELECT id, worker FROM jobs_job WHERE kind='catalog.import' AND status='running' AND progress > 0"
                )
            )
            and r[0]
        ),
        60,
        0.1,
    )
    victim = next(p for n, p in processes if n == f"worker-{worker.split('@')[0]}")
    os.killpg(victim.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    say(f"任务 {job_id} 进行中，kill -9 正在执行它的 {worker}")
    done = wait_for(
        "导入任务由另一进程完成",
        lambda: (
            (r := db("SELECT status, worker, attempts FROM jobs_job WHERE id=%s", job_id))
            and r[0][0] in ("done", "failed")
            and r[0]
        ),
        180,
    )
    figures["redelivered_and_finished_s"] = round(time.monotonic() - killed_at, 1)
    check(
        done[0] == "done" and done[1] != worker, f"导入任务由 {done[1]} 完成（第 {done[2]} 次尝试）"
    )
    published = db("SELECT count(*) FROM catalog_document WHERE state='published'")[0][0]
    check(published == ROWS, f"{ROWS} 行全部发布，无重复（{published}）")
    t0 = time.monotonic()
    found = wait_for(
        "服务器 B 检索到导入的文件",
        lambda: WORD.encode() in b.get("/search/?q=" + urllib.parse.quote(WORD))[2],
        60,
    )
    figures["found_on_b_s"] = round(time.monotonic() - t0, 1)
    check(bool(found), "在服务器 B 检索到经服务器 A 导入的文件")
    check(
        WORD.encode() in a.get("/search/?q=" + urllib.parse.quote(WORD))[2], "服务器 A 也检索得到"
    )

    # 2. an attachment uploaded through A, downloaded through B
    content = ("演练附件：" + secrets.token_hex(16)).encode()
    status, _headers, page = a.post_multipart(
        "/backoffice/catalog/new/",
        {
            "title": f"{WORD}附件测试",
            "legal_kind": "other",
            "disclosure_method": "proactive",
            "disclosure_scope": "public",
        },
        {"attachments": ("演练附件.txt", content)},
    )
    errors = re.findall(rb'class="[^"]*error[^"]*"[^>]*>([^<]+)<', page)
    check(status == 302, f"在服务器 A 保存带附件的草稿 {b' '.join(errors).decode()[:300]}")
    att_id, doc_id, filename = db(
        "SELECT a.id, a.document_id, a.filename FROM catalog_attachment a JOIN catalog_document d "
        "ON d.id = a.document_id WHERE d.title = %s",
        f"{WORD}附件测试",
    )[0]
    b.cookies = dict(a.cookies)  # the same browser, its next request answered by B
    # a draft's original, as staff download it (the public only ever get the rendition)
    path = f"/backoffice/catalog/{doc_id}/files/{att_id}/{urllib.parse.quote(filename)}"
    status, _h, body = b.get(path)
    check(status == 200 and body == content, "在服务器 B 下载经服务器 A 上传的附件，内容一致")

    # 3. the scheduler's heartbeat, seen by both servers
    for name, port in (("A", PORT_A), ("B", PORT_B)):
        health = wait_for(
            f"服务器 {name} 的健康检查看到后台任务进程",
            lambda port=port: (
                (h := json.loads(Browser(port).get("/healthz")[2]))["checks"]["worker"]["ok"] and h
            ),
            90,
            1.0,
        )
        check(
            health["checks"]["search"]["ok"],
            f"服务器 {name} 的健康检查：{health['checks']['search']['detail']}",
        )
    metrics = Browser(PORT_A).get("/metrics")[2].decode()
    check(
        "gongkai_http_request_duration_seconds_count" in metrics
        and 'gongkai_search_index_lag{server="b"}' in metrics
        and "gongkai_jobs_oldest_waiting_seconds" in metrics,
        "服务器 A 的 /metrics：各进程的请求耗时、任务队列、两台服务器的索引差距",
    )

    # 4. 20 failed logins from 20 addresses behind the load balancer lock out nobody else
    for n in range(20):
        visitor = Browser(NGINX, forwarded_for=f"198.51.100.{n + 1}")
        visitor.login(f"nobody{n}", "wrong-password")
    colleague = Browser(NGINX, forwarded_for="203.0.113.77")
    status = colleague.login("colleague", PASSWORD)
    page = colleague.last_page.decode(errors="replace")
    why = "：被当作同一地址限流（登录失败次数过多）" if "次数过多" in page else f"：HTTP {status}"
    check(
        status == 302,
        "20 次不同地址的失败登录之后，另一位用户照常登录" + ("" if status == 302 else why),
    )

    return figures


def main() -> int:
    if shutil.which("nginx") is None:
        print("需要 nginx（make rehearsal 会安装 Debian 的 nginx-light）", file=sys.stderr)
        return 2
    services_up()
    fresh_state()
    work = Path(tempfile.mkdtemp(prefix="gongkai-rehearsal-"))
    logs = work / "logs"
    logs.mkdir()
    say(f"演练目录 {work}")
    try:
        figures = rehearse(work, logs)
    except Failed as exc:
        say(f"失败：{exc}（日志在 {logs}）")
        for log in sorted(logs.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-15:]
            print(f"--- {log.name}\n" + "\n".join(tail), file=sys.stderr)
        return 1
    finally:
        stop_all()
    say(f"两台服务器演练全部通过：{json.dumps(figures, ensure_ascii=False)}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
