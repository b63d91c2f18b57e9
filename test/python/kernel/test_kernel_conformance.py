"""jupyter_kernel_test's protocol conformance suite against the installed `iot`
kernelspec. No board is connected, so every sample runs on the host: `!` lines,
%%bash, %lsmagic, %loglevel."""
import jupyter_kernel_test


class IotKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "iot"
    language_name = "python"
    file_extension = ".py"

    code_hello_world = "!echo 'hello, world'"
    code_stderr = "%%bash\necho 'to stderr' >&2"
    code_generate_error = "%nosuchmagic"
    # %loglevel without an argument shows the level (info unless IOT_KERNEL_LOG says otherwise).
    code_execute_result = [{"code": "%loglevel", "result": "info"}]
    code_display_data = [{"code": "%lsmagic", "mime": "text/markdown"}]
    code_inspect_sample = "%lsmagic"
    code_page_something = "%lsmagic?"
    code_history_pattern = "%logl*"
    supported_history_operations = ("tail", "range", "search")

    completion_samples = [
        {"text": "%lsm", "matches": {"%lsmagic"}},
        {"text": "%%wri", "matches": {"%%writefile"}},
        {"text": "%logl", "matches": {"%loglevel"}},
        {"text": "!ls /usr/sbi", "matches": {"/usr/sbin/"}},
    ]
    complete_code_samples = ["x = 1", "%lsmagic", "!ls -l", "for i in range(3):\n    print(i)\n\n", 's = """a\nb"""']
    incomplete_code_samples = ["for i in range(3):", "x = [1,", 's = """abc', "x = 1 + \\", "%%bash\necho hi"]
    invalid_code_samples = ["x = )", "  x = 1", "s = 'abc"]
