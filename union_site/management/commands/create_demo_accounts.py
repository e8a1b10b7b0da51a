"""创建演示账号（管理员、编辑、审核、报表、信箱办理、通讯员），随机密码只显示一次并写入 var/demo-accounts.txt。"""

from django.conf import settings
from django.core.management.base import BaseCommand

from union_site.demo.accounts import create_demo_accounts


class Command(BaseCommand):
    help = "创建演示账号，每个角色一个，随机密码写入 var/demo-accounts.txt。已有账号不变，--reset 重设密码。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="为已有的演示账号重新生成密码")

    def handle(self, *args, reset=False, **options):
        accounts = create_demo_accounts(reset=reset)
        new = [(u, r, p) for u, r, p in accounts if p]
        path = settings.VAR_DIR / "demo-accounts.txt"
        if new:
            path.parent.mkdir(parents=True, exist_ok=True)
            old = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
            keep = [line for line in old if line.split(" ", 1)[0] not in {u for u, _, _ in new}]
            lines = keep + [f"{u} {p} （{r}）" for u, r, p in new]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            path.chmod(0o600)
        for username, role, password in accounts:
            if password:
                self.stdout.write(f"{role}：用户名 {username}  密码 {password}")
            else:
                self.stdout.write(f"{role}：用户名 {username}  已存在，密码见 {path}")
        self.stdout.write("管理员和审核账号首次登录时，需用手机验证器应用绑定两步验证（见 README“Security”）。")
