using System.Globalization;
using System.Text;
using Dapr.Client.Autogen.Grpc.v1;

namespace Watershed.DevSidecar.Bindings;

/// <summary><c>bindings.twilio.sms</c>: one text file per message with what Twilio would have been asked to send.</summary>
internal static class SmsBinding
{
    public static Task<string> WriteAsync(string name, BindingOptions binding, InvokeBindingRequest request, string directory, DateTimeOffset now, CancellationToken ct)
    {
        // The component's toNumber, when set, wins over the request's: the real binding reads them in that order.
        var to = !string.IsNullOrEmpty(binding.ToNumber)
            ? binding.ToNumber
            : request.Metadata.TryGetValue("toNumber", out var requested) && requested.Length > 0
                ? requested
                : throw new BindingRequestException("the \"toNumber\" metadata is required");

        var body = BindingFiles.Body(request.Data);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"SMS written by the Watershed dev sidecar (binding {name}, {BindingOptions.TwilioSms}); nothing was sent.\n")
            .Append(CultureInfo.InvariantCulture, $"Date: {now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC\n")
            .Append(CultureInfo.InvariantCulture, $"To: {to}\n")
            .Append(CultureInfo.InvariantCulture, $"From: {binding.FromNumber}\n")
            .Append(CultureInfo.InvariantCulture, $"Characters: {body.EnumerateRunes().Count()}\n")
            .Append('\n')
            .Append(body)
            .Append('\n')
            .ToString();
        return BindingFiles.WriteAsync(directory, now, "txt", text, ct);
    }
}
