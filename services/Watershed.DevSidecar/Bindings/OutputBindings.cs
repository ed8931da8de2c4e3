using System.Runtime.CompilerServices;
using Dapr.Client.Autogen.Grpc.v1;
using Microsoft.Extensions.Options;
using Watershed.DevSidecar.Grpc;

namespace Watershed.DevSidecar.Bindings;

/// <summary>A request the binding refuses (missing recipient, bad priority); daprd answers it INTERNAL.</summary>
internal sealed class BindingRequestException(string message) : Exception(message);

/// <summary>
/// InvokeBinding for the output bindings Watershed uses, Twilio SMS and SMTP: instead of sending, each message is
/// written as a file a person can read. Refusals are daprd's: INTERNAL, "error invoking output binding …".
/// </summary>
internal sealed partial class OutputBindings
{
    private readonly SidecarOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<OutputBindings> _logger;
    private readonly Dictionary<string, StrongBox<int>> _injectedFailures;
    private readonly Dictionary<string, StrongBox<int>> _heldCalls;

    public OutputBindings(IOptions<SidecarOptions> options, TimeProvider clock, ILogger<OutputBindings> logger)
    {
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _injectedFailures = _options.Bindings.ToDictionary(b => b.Key, b => new StrongBox<int>(b.Value.FailNextCalls), StringComparer.Ordinal);
        _heldCalls = _options.Bindings.ToDictionary(b => b.Key, b => new StrongBox<int>(b.Value.HoldNextCalls), StringComparer.Ordinal);
    }

    public async Task InvokeAsync(InvokeBindingRequest request, CancellationToken ct)
    {
        var name = request.Name;
        if (!_options.Bindings.TryGetValue(name, out var binding))
        {
            throw DaprErrors.OutputBinding(name, $"output binding {name} is not configured");
        }

        if (request.Operation != "create")
        {
            throw DaprErrors.OutputBinding(name, $"binding {name} supports only the create operation, not '{request.Operation}'");
        }

        if (Interlocked.Decrement(ref _injectedFailures[name].Value) >= 0)
        {
            LogInjectedFailure(_logger, name);
            throw DaprErrors.OutputBinding(name, $"failure injected by Sidecar:Bindings:{name}:FailNextCalls");
        }

        if (Interlocked.Decrement(ref _heldCalls[name].Value) >= 0)
        {
            LogHeld(_logger, name);
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        }

        var directory = Path.GetFullPath(binding.Directory ?? Path.Combine(".local", name));
        var now = _clock.GetUtcNow();
        try
        {
            var file = binding.Type == BindingOptions.TwilioSms
                ? await SmsBinding.WriteAsync(name, binding, request, directory, now, ct)
                : await SmtpBinding.WriteAsync(name, binding, request, directory, now, ct);
            LogWritten(_logger, name, binding.Type, file);
        }
        catch (BindingRequestException ex)
        {
            throw DaprErrors.OutputBinding(name, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Binding {Binding} ({Type}) wrote {File} instead of sending")]
    private static partial void LogWritten(ILogger logger, string binding, string type, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Binding {Binding} holds a call without answering (HoldNextCalls)")]
    private static partial void LogHeld(ILogger logger, string binding);

    [LoggerMessage(Level = LogLevel.Information, Message = "Binding {Binding} answers INTERNAL: a failure injected by FailNextCalls")]
    private static partial void LogInjectedFailure(ILogger logger, string binding);
}

/// <summary>What the bindings share: the request body as the real bindings read it, and the files they write.</summary>
internal static class BindingFiles
{
    /// <summary>
    /// SDKs send a string body JSON-encoded ("\"Hola\""); the real bindings unquote it, and keep any other body as it is.
    /// </summary>
    public static string Body(Google.Protobuf.ByteString data)
    {
        var text = data.ToStringUtf8();
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string>(text) ?? text;
        }
        catch (System.Text.Json.JsonException)
        {
            return text;
        }
    }

    /// <summary>A new file whose name sorts by the time it was written and cannot collide with another's.</summary>
    public static async Task<string> WriteAsync(string directory, DateTimeOffset now, string extension, string content, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var name = $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'.'fffffff'Z'}-{Guid.CreateVersion7(now):N}.{extension}";
        var path = Path.Combine(directory, name);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await using var writer = new StreamWriter(file, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await writer.WriteAsync(content.AsMemory(), ct);
        return path;
    }
}
