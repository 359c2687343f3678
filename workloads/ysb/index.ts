export { ysb, ysbDataflow, YSB_SINK, type AdView, type CampaignView } from './ysb.js';
export { campaignsFor, generatedCampaigns, campaignsFromFile, ADS_PER_CAMPAIGN, type Campaigns } from './campaigns.js';
export { AdCampaignCache, embeddedCampaignStore, type CampaignStore } from './campaign-store.js';
export { ysbEventGenerator, AD_TYPES, EVENT_TYPES, YSB_USERS, type AdEvent } from './event-generator.js';
export { connectRedis, writeCampaigns, readAdCampaigns, type RedisConnection } from './redis-connection.js';
export { CampaignWindowWriter } from './campaign-window-writer.js';
export { WindowUpdates, type YsbLatencySummary } from './window-updates.js';
