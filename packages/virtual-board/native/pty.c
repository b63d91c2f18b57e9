/*
 * openpty for Node (which has none): a pseudo-terminal pair whose slave is in raw
 * mode (no echo, no CR/NL translation, no signals), as a serial port is. The caller
 * keeps the slave fd open so the master never sees EIO between serial clients.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static napi_value throw_errno(napi_env env, const char *what) {
    char message[256];
    snprintf(message, sizeof message, "%s failed: %s", what, strerror(errno));
    napi_throw_error(env, NULL, message);
    return NULL;
}

static void set_property(napi_env env, napi_value object, const char *name, napi_value value) {
    napi_set_named_property(env, object, name, value);
}

static napi_value open_raw_pty(napi_env env, napi_callback_info info) {
    (void)info;
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return throw_errno(env, "posix_openpt");
    char slave_path[256];
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, slave_path, sizeof slave_path) != 0) {
        int saved = errno;
        close(master);
        errno = saved;
        return throw_errno(env, "grantpt/unlockpt/ptsname");
    }
    int slave = open(slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct termios attributes;
    if (slave < 0 || tcgetattr(slave, &attributes) != 0) {
        int saved = errno;
        close(master);
        if (slave >= 0) close(slave);
        errno = saved;
        return throw_errno(env, "opening the pty slave");
    }
    cfmakeraw(&attributes);
    attributes.c_cflag |= CLOCAL | CREAD;
    cfsetispeed(&attributes, B115200);
    cfsetospeed(&attributes, B115200);
    tcsetattr(slave, TCSANOW, &attributes);

    napi_value result, value;
    napi_create_object(env, &result);
    napi_create_int32(env, master, &value);
    set_property(env, result, "masterFd", value);
    napi_create_int32(env, slave, &value);
    set_property(env, result, "slaveFd", value);
    napi_create_string_utf8(env, slave_path, NAPI_AUTO_LENGTH, &value);
    set_property(env, result, "slavePath", value);
    return result;
}

/*
 * hangUp(fd): the tty hangs up (TIOCVHANGUP), as when a USB serial device is unplugged:
 * every file open on it reads end of file from then on; new opens get a working port.
 * Needs CAP_SYS_ADMIN.
 */
static napi_value hang_up(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value argv[1];
    int fd = -1;
    napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
    if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
        napi_throw_type_error(env, NULL, "hangUp(fd) needs a file descriptor");
        return NULL;
    }
    if (ioctl(fd, TIOCVHANGUP, 0) != 0) return throw_errno(env, "hanging up the pty (TIOCVHANGUP, needs root)");
    return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
    napi_value fn;
    napi_create_function(env, "openRawPty", NAPI_AUTO_LENGTH, open_raw_pty, NULL, &fn);
    napi_set_named_property(env, exports, "openRawPty", fn);
    napi_create_function(env, "hangUp", NAPI_AUTO_LENGTH, hang_up, NULL, &fn);
    napi_set_named_property(env, exports, "hangUp", fn);
    return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
