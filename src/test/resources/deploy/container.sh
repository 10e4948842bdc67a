#!/usr/bin/env bash
# Runs a command inside an image's file system the way a container runtime does, without Docker (which does not
# run on the development machine): as the image's numeric user, in its working directory, with only its
# environment, on a read-only root file system where only the given volumes are writable, with a loopback-only
# network and its own process ids (the command is PID 1, so it alone receives `docker stop`'s SIGTERM).
# ContainerImageIT lays the image out from deploy/Dockerfile and calls this; the OS directories and the JRE are
# this machine's, standing in for the base image's.
#
#   unshare --mount --net --pid --fork container.sh start -- COMMAND...   runs the image's ENTRYPOINT
#   container.sh exec PID -- COMMAND...                                    what `docker exec` (and HEALTHCHECK) do
#
# Both read: CONTAINER_ROOT (an empty directory that becomes the container's /), CONTAINER_IMAGE (a directory
# holding the image's own top-level directories, e.g. app/), CONTAINER_JAVA_HOME (mounted as the base image's
# /opt/java/openjdk), CONTAINER_USER (uid:gid), CONTAINER_WORKDIR, CONTAINER_ENV (a file of NAME=value lines)
# and CONTAINER_VOLUMES (space-separated host-dir:container-dir[:ro] mounts; the only writable places).
set -euo pipefail

mode=$1
shift

user_and_env() {
  local uid=${CONTAINER_USER%%:*} gid=${CONTAINER_USER##*:}
  mapfile -t environment < "$CONTAINER_ENV"
  # no_new_privs: what Kubernetes' allowPrivilegeEscalation: false sets
  command=(setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs
           env -i -C "$CONTAINER_WORKDIR" "${environment[@]}")
}

read_only_bind() {
  mount --bind "$1" "$2"
  mount -o remount,bind,ro "$2"
}

case $mode in
  start)
    [ "$1" = "--" ] && shift
    root=$CONTAINER_ROOT
    mount --make-rprivate /
    ip link set lo up
    mount -t tmpfs -o mode=755 container-root "$root"

    # the base image: the OS (merged /usr, so /bin, /lib… are links), /etc and the JRE where Temurin's images have it
    for link in bin sbin lib lib32 lib64 libx32; do
      if [ -L "/$link" ]; then ln -s "$(readlink "/$link")" "$root/$link"; fi
    done
    for dir in usr etc; do mkdir "$root/$dir"; read_only_bind "/$dir" "$root/$dir"; done
    mkdir -p "$root/opt/java/openjdk"
    read_only_bind "$CONTAINER_JAVA_HOME" "$root/opt/java/openjdk"
    mkdir -m 1777 "$root/tmp"
    mkdir "$root/proc" "$root/sys" "$root/dev"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount -o remount,bind,ro "$root/sys"
    for node in null zero full random urandom tty; do
      touch "$root/dev/$node"
      mount --bind "/dev/$node" "$root/dev/$node"
    done
    ln -s /proc/self/fd "$root/dev/fd"
    ln -s /proc/self/fd/0 "$root/dev/stdin"
    ln -s /proc/self/fd/1 "$root/dev/stdout"
    ln -s /proc/self/fd/2 "$root/dev/stderr"

    # the image's own layers, read-only
    for dir in "$CONTAINER_IMAGE"/*; do
      mkdir "$root/${dir##*/}"
      read_only_bind "$dir" "$root/${dir##*/}"
    done

    # the volumes (host-dir:container-dir[:ro]); their mount points exist in the image or were made for them
    for volume in $CONTAINER_VOLUMES; do
      IFS=: read -r host path options <<< "$volume"
      mount --bind "$host" "$root$path"
      if [ "${options:-}" = ro ]; then mount -o remount,bind,ro "$root$path"; fi
    done

    mount -o remount,ro "$root"
    user_and_env
    exec chroot "$root" "${command[@]}" "$@"
    ;;
  exec)
    pid=$1
    shift
    [ "$1" = "--" ] && shift
    user_and_env
    exec nsenter --target "$pid" --mount --net --pid --root --wd -- "${command[@]}" "$@"
    ;;
  *)
    echo "usage: container.sh start|exec PID -- COMMAND..." >&2
    exit 2
    ;;
esac
