using PortsipInfra.Ops;
using PortsipInfra.Ops.Keyscan;
using PortsipInfra.Ops.Status;

return OpsProgram.Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());

namespace PortsipInfra.Ops
{
    /// <summary>
    /// ops: a companion to the Pulumi program for operating a site. <c>keyscan</c> reads and pins host keys;
    /// <c>status</c> compares the stack file with what the site runs.
    /// </summary>
    public static class OpsProgram
    {
        public const int Ok = 0;
        public const int Error = 1;
        public const int Drift = 2;

        public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors,
            Func<string, string?> environment, string workingDirectory)
        {
            try
            {
                var options = Options.Parse(args, environment);
                return options.Command == "keyscan"
                    ? KeyscanCommand.Run(options, output, errors, environment, workingDirectory)
                    : StatusCommand.Run(options, output, errors, environment, workingDirectory);
            }
            catch (UsageRequested)
            {
                output.WriteLine(Options.Usage);
                return Ok;
            }
            catch (OpsError e)
            {
                errors.WriteLine($"ops: {e.Message}");
                return Error;
            }
            catch (Exception e) when (e is Renci.SshNet.Common.SshException or System.Net.Sockets.SocketException or IOException or HttpRequestException)
            {
                // Not foreseen, but still a network or SSH failure: one line, no stack trace.
                errors.WriteLine($"ops: {e.GetType().Name}: {e.Message}");
                return Error;
            }
        }
    }
}
