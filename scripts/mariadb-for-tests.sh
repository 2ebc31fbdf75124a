#!/usr/bin/env bash
# Makes sure the MariaDB server that compensation-journal's tests use is running on localhost:3306 with user root,
# empty password, and a database named "test". Idempotent: safe to run when it is already up. Needs root.
set -euo pipefail

if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi

if ! mariadb-admin -uroot ping >/dev/null 2>&1; then
    mkdir -p /run/mysqld
    chown mysql:mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    for _ in $(seq 1 60); do
        mariadb-admin -uroot ping >/dev/null 2>&1 && break
        sleep 1
    done
    mariadb-admin -uroot ping >/dev/null
fi

# root over TCP with an empty password (a fresh Debian install allows root through the unix socket only)
mariadb -uroot -e "ALTER USER IF EXISTS 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
CREATE DATABASE IF NOT EXISTS test;"
mariadb -h127.0.0.1 -P3306 -uroot --password= -e "select 1" test >/dev/null
echo "MariaDB ready on localhost:3306 (root, empty password, database test)"
