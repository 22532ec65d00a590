# nginx_conf.sh - sourced by the benchmarks.
#   nginx_conf DIR LISTEN ROOT [CONNECTIONS]
# Writes DIR/nginx.conf: a private nginx for benchmarks (one worker, in the
# foreground, access log off, sendfile, unlimited keep-alive requests)
# serving ROOT on LISTEN (address:port), with at most CONNECTIONS (default
# 4096) connections.  Start it with nginx -c DIR/nginx.conf -p DIR.
nginx_conf() {
  local dir=$1 listen=$2 root=$3 conns=${4:-4096}
  cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
master_process on;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections $conns; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  types { text/html html; application/octet-stream bin; }
  server { listen $listen; root $root; }
}
CONF
}
