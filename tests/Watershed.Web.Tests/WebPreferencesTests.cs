using Microsoft.Playwright;
using Watershed.DevIdentity;
using Watershed.Notifications.V1;

namespace Watershed.Web.Tests;

/// <summary>
/// Everyone's notices in the browser against notifications on PostgreSQL: a member chooses channels, muted kinds, quiet
/// hours and a language, and notifications holds exactly that; a faulty choice changes nothing; the delivery log is for
/// staff only.
/// </summary>
public sealed partial class WebJourneyTests
{
    [Fact]
    public async Task A_member_sets_their_notices_and_notifications_holds_exactly_that()
    {
        var person = DevIdentityOptions.DerivedPersonId("member.pomacanchi");
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebSystem.SignInAsync(page, "member.pomacanchi");
        await page.GetByRole(AriaRole.Link, new() { Name = "Mis avisos (SMS y correo)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Mis avisos");
        await Assertions.Expect(page.GetByText("Aún no eligió nada")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        await page.GetByLabel("SMS (mensaje de texto)").CheckAsync();
        await page.GetByLabel("Alertas de seguridad alimentaria").CheckAsync();
        await page.GetByLabel("Encuestas cargadas").CheckAsync();
        await page.GetByLabel("Desde (hora)").FillAsync("21:00");
        await page.GetByLabel("Hasta (hora)").FillAsync("06:00");
        await page.GetByLabel("Idioma de los avisos").SelectOptionAsync(new SelectOptionValue { Label = "Runasimi" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Sus preferencias se guardaron.");
        await ShotAsync(page, "preferences");

        var held = await system.PreferencesAsync("pomacanchi", person);
        Assert.Equal([Channel.Sms], held.Channels);
        Assert.Equal([EventKind.Alerts, EventKind.Imports], held.MutedKinds.Order());
        Assert.Equal(("21:00", "06:00"), (held.QuietHours.Start, held.QuietHours.End));
        Assert.Equal(Language.Qu, held.Language);
        Assert.False(held.OptedOut);

        // A new visit shows what notifications holds.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByLabel("SMS (mensaje de texto)")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Correo electrónico")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Desde (hora)")).ToHaveValueAsync("21:00");

        // Quiet hours with no end are refused in words, and nothing changes.
        await page.GetByLabel("Hasta (hora)").FillAsync("");
        await page.GetByLabel("Correo electrónico").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Revise los datos");
        Assert.Equal(held, await system.PreferencesAsync("pomacanchi", person));

        // The delivery log holds phone numbers and addresses: not for a member.
        await page.GotoAsync("/Preferences/Deliveries");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Su cuenta no tiene permiso para esto.");
    }

    [Fact]
    public async Task A_facilitator_reads_the_delivery_log_and_has_no_notices_of_their_own()
    {
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebSystem.SignInAsync(page, "facilitator.pomacanchi");
        await page.GetByRole(AriaRole.Link, new() { Name = "Registro de envíos de avisos" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Registro de envíos");
        await Assertions.Expect(page.GetByText("No hay avisos en el registro.")).ToBeVisibleAsync();
        await page.GetByLabel("Estado").SelectOptionAsync(new SelectOptionValue { Label = "No se pudo enviar" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Ver" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No hay avisos en el registro.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        await page.GotoAsync("/Preferences");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no es de un comunero");
    }
}
