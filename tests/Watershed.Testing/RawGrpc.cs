using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace Watershed.Testing;

/// <summary>
/// gRPC calls written by hand over a real HTTP/2 connection (h2c, prior knowledge): the request body is exactly the bytes
/// a test gives, so it can send what no gRPC client library would (a malformed protobuf message, a string field that is
/// not UTF-8, a broken frame), and read the status however the server answered it (trailers, or trailers-only headers).
/// </summary>
public static class RawGrpc
{
    /// <summary>How the server answered: the HTTP status, the gRPC status and message, and google.rpc.Status details if any.</summary>
    public sealed record Answer(HttpStatusCode Http, StatusCode Code, string Message, Google.Rpc.Status? Details, int DetailsBytes);

    /// <summary>One length-prefixed message as gRPC frames it: a compressed flag, the length (big-endian), the bytes.</summary>
    /// <param name="declaredLength">A length other than the message's, for a broken frame.</param>
    public static byte[] Frame(ReadOnlySpan<byte> message, byte compressedFlag = 0, int? declaredLength = null)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = compressedFlag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)(declaredLength ?? message.Length));
        message.CopyTo(frame.AsSpan(5));
        return frame;
    }

    /// <param name="address">The service's h2c address (http://127.0.0.1:port).</param>
    /// <param name="path">"/package.Service/Method".</param>
    /// <param name="body">The whole request body (one or more frames, or anything else).</param>
    /// <param name="bearer">A bearer token, or null for none.</param>
    /// <param name="handler">Another transport than a socket (an in-memory test server's handler), or null for h2c over TCP.</param>
    public static async Task<Answer> CallAsync(Uri address, string path, byte[] body, string? bearer, HttpMessageHandler? handler = null)
    {
        using var client = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null) { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.FirstOrDefault()
            : response.Headers.TryGetValues(name, out var header) ? header.FirstOrDefault()
            : null;

        var code = Header("grpc-status") is { } status ? (StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture) : (StatusCode)(-1);
        var message = Header("grpc-message") is { } text ? Uri.UnescapeDataString(text) : string.Empty;
        Google.Rpc.Status? details = null;
        var detailsBytes = 0;
        if (Header("grpc-status-details-bin") is { } encoded)
        {
            var bytes = Convert.FromBase64String(encoded.PadRight(encoded.Length + ((4 - (encoded.Length % 4)) % 4), '='));
            detailsBytes = bytes.Length;
            details = Google.Rpc.Status.Parser.ParseFrom(bytes);
        }

        return new Answer(response.StatusCode, code, message, details, detailsBytes);
    }
}
