using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Watershed.Testing;

/// <summary>
/// Object-level checks: an RPC whose request names several objects authorises the caller on one of them and must refuse
/// an id of another watershed in any other. A case sends a request built with one id field (by proto path) taken from
/// the other watershed, as a caller the matrix allows; the answer must be the case's refusal and nothing may change.
/// Then the same request with every id of the own watershed must get past authorisation and validation, which proves the
/// refusal came from that id.
/// </summary>
public sealed class ForeignIdCases<TWorld>
    where TWorld : class
{
    private readonly List<ForeignIdCase> _cases = [];
    private readonly Dictionary<string, string> _exempt = new(StringComparer.Ordinal);

    public IReadOnlyList<ForeignIdCase> Cases => _cases;

    /// <param name="rpc">As the matrix names it: <c>Service/Method</c>.</param>
    /// <param name="field">The id field's proto path (<c>member_id</c>, <c>target.area_id</c>).</param>
    /// <param name="token">The caller: one the matrix allows on the own watershed's objects.</param>
    /// <param name="build">The request, with <paramref name="field"/> of the other watershed when its argument is true.</param>
    /// <param name="refusal">The house's answer: NOT_FOUND where a foreign id is answered as unknown, PERMISSION_DENIED where the
    /// id is the one the caller is authorised on, INVALID_ARGUMENT where the request pairs ids that cannot go together.</param>
    public ForeignIdCases<TWorld> Add(string rpc, string field, Func<TWorld, string?> token, Func<TWorld, bool, Task<IMessage>> build, StatusCode refusal)
    {
        _cases.Add(new ForeignIdCase(rpc, field, w => token((TWorld)w), (w, foreign) => build((TWorld)w, foreign), refusal));
        return this;
    }

    /// <summary>An id field no case covers, with the reason (another service's id this one cannot know; a filter inside a scope).</summary>
    public ForeignIdCases<TWorld> Exempt(string rpc, string field, string reason)
    {
        _exempt[$"{rpc} {field}"] = reason;
        return this;
    }

    public bool IsExempt(string rpc, string field) => _exempt.ContainsKey($"{rpc} {field}");

    public sealed record ForeignIdCase(string Rpc, string Field, Func<object, string?> Token, Func<object, bool, Task<IMessage>> Build, StatusCode Refusal);
}

public static class ForeignIdCheck
{
    /// <summary>The id fields of a request, by proto path: string fields named <c>*_id</c> or <c>*_ids</c>, in nested messages too.</summary>
    public static IReadOnlyList<string> IdFields(MessageDescriptor message, string prefix = "", int depth = 0)
    {
        var fields = new List<string>();
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            var path = prefix + field.Name;
            if (field.FieldType == FieldType.String && (field.Name.EndsWith("_id", StringComparison.Ordinal) || field.Name.EndsWith("_ids", StringComparison.Ordinal)))
            {
                fields.Add(path);
            }
            else if (field.FieldType == FieldType.Message && !field.IsMap && depth < 3 && field.MessageType.File.Package.StartsWith("watershed.", StringComparison.Ordinal))
            {
                fields.AddRange(IdFields(field.MessageType, path + ".", depth + 1));
            }
        }

        return fields;
    }

    /// <summary>
    /// The RPCs of <paramref name="services"/> whose request has two ids or more, each id field without a case or an exemption:
    /// so an RPC that gains a second id (or a new RPC with several) cannot slip by.
    /// </summary>
    public static IReadOnlyList<string> Uncovered<TWorld>(IEnumerable<ServiceDescriptor> services, ForeignIdCases<TWorld> cases)
        where TWorld : class
    {
        var missing = new List<string>();
        foreach (var service in services)
        {
            foreach (var method in service.Methods)
            {
                var rpc = $"{service.Name}/{method.Name}";
                var ids = IdFields(method.InputType);
                if (ids.Count < 2)
                {
                    continue;
                }

                missing.AddRange(ids
                    .Where(f => !cases.IsExempt(rpc, f) && !cases.Cases.Any(c => c.Rpc == rpc && c.Field == f))
                    .Select(f => $"{rpc} {f}: an id field of a request with several, without a foreign-id case or an exemption."));
            }
        }

        return missing;
    }

    /// <summary>Runs every case; returns every failure at once.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync<TWorld>(
        ForeignIdCases<TWorld> cases,
        TWorld world,
        IReadOnlyCollection<IMethod> served,
        Func<string?, CallInvoker> invoker,
        Func<Task<DatabaseSnapshot>> snapshot)
        where TWorld : class
    {
        var failures = new List<string>();
        foreach (var c in cases.Cases)
        {
            var method = served.SingleOrDefault(m => AuthorizationMatrixCheck.FullName(m).EndsWith("." + c.Rpc, StringComparison.Ordinal));
            if (method is null)
            {
                failures.Add($"{c.Rpc} {c.Field}: the host serves no such method.");
                continue;
            }

            var calls = invoker(c.Token(world));
            var foreign = await c.Build(world, true);
            var before = await snapshot();
            var (status, detail) = await AuthorizationMatrixCheck.CallAsync(calls, method, [foreign]);
            var after = await snapshot();
            if (status != c.Refusal)
            {
                failures.Add($"{c.Rpc} with {c.Field} of another watershed: expected {c.Refusal}, got {status} \"{detail}\".");
            }

            if (!before.Equals(after))
            {
                failures.Add($"{c.Rpc} with {c.Field} of another watershed changed {string.Join(", ", before.Differences(after))}.");
            }

            var (control, controlDetail) = await AuthorizationMatrixCheck.CallAsync(calls, method, [await c.Build(world, false)]);
            if (!AuthorizationMatrix.IsPastAuthorisation(control))
            {
                failures.Add($"{c.Rpc} with every id of the own watershed (the control for {c.Field}): expected the call to pass, got {control} \"{controlDetail}\".");
            }
        }

        return failures;
    }
}
