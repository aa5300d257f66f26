// `hubhooks/forward`: destinations for `endpoint.forward()` and the `alerts` option, and their default messages.
export { discord, type DiscordOptions } from "./forward/discord.js";
export { slack, type SlackOptions } from "./forward/slack.js";
export { http, type HttpOptions } from "./forward/http.js";
export type { Destination, ForwardInput, ForwardOutcome } from "./forward/destination.js";
export { ForwardError, type SendOptions } from "./forward/post-message.js";
export { eventMessage, type EventMessage, type Part } from "./forward/event-message.js";
export { discordMessage, renderDiscord, fitDiscord, DISCORD_LIMITS, type DiscordMessage, type DiscordEmbed } from "./forward/discord-message.js";
export { slackMessage, renderSlack, type SlackMessage } from "./forward/slack-message.js";
export { destinationLabel } from "./forward/destination-label.js";
export { createAlerts, type Alerts, type AlertsOptions, type SuspendedWebhook } from "./forward/alerts.js";
